-- sales: measure.canceled_orders (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.canceled_orders"]}
-- params: []
SELECT
      count(CASE WHEN (`orders`.is_canceled) THEN `orders`.order_key END) `sales__canceled_orders`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
