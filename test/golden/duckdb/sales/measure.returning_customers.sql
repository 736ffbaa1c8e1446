-- sales: measure.returning_customers (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.returning_customers"]}
-- params: []
SELECT
      count(distinct "orders".customer_key) FILTER (WHERE ("orders".is_sale AND "orders".created_at > "customer_first_sales".first_sale_at)) "sales__returning_customers"
    FROM
      gold.fct_orders AS "orders"
LEFT JOIN (SELECT customer_key, MIN(created_at) AS first_sale_at FROM gold.fct_orders WHERE is_sale AND customer_key IS NOT NULL GROUP BY customer_key
) AS "customer_first_sales" ON "orders".customer_key = "customer_first_sales".customer_key  LIMIT 10000
