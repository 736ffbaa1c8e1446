-- sales: measure.returning_customers (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.returning_customers"]}
-- params: []
SELECT
      count(distinct CASE WHEN (`orders`.is_sale AND `orders`.created_at > `customer_first_sales`.first_sale_at) THEN `orders`.customer_key END) `sales__returning_customers`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`
LEFT JOIN (SELECT customer_key, MIN(created_at) AS first_sale_at FROM `farol-golden.analytics.gold_fct_orders` WHERE is_sale AND customer_key IS NOT NULL GROUP BY customer_key
) AS `customer_first_sales` ON `orders`.customer_key = `customer_first_sales`.customer_key  LIMIT 10000
