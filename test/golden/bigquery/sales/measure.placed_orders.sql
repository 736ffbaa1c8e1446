-- sales: measure.placed_orders (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.placed_orders"]}
-- params: []
SELECT
      count(`orders`.order_key) `sales__placed_orders`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
