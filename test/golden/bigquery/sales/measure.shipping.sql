-- sales: measure.shipping (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.shipping"]}
-- params: []
SELECT
      sum(CASE WHEN (`orders`.is_sale) THEN `orders`.shipping_total END) `sales__shipping`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
