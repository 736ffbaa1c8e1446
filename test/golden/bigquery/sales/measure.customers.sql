-- sales: measure.customers (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.customers"]}
-- params: []
SELECT
      count(distinct CASE WHEN (`orders`.is_sale) THEN `orders`.customer_key END) `sales__customers`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
