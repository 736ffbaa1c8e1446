-- sales: measure.orders (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.orders"]}
-- params: []
SELECT
      count(CASE WHEN (`orders`.is_sale) THEN `orders`.order_key END) `sales__orders`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
