-- sales: measure.discounts (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.discounts"]}
-- params: []
SELECT
      sum(CASE WHEN (`orders`.is_sale) THEN ABS(`orders`.discounts_total) END) `sales__discounts`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
