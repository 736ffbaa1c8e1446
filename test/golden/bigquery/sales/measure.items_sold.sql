-- sales: measure.items_sold (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.items_sold"]}
-- params: []
SELECT
      sum(CASE WHEN (`orders`.is_sale) THEN `orders`.items_count END) `sales__items_sold`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
