-- sales: measure.customers (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.customers"]}
-- params: []
SELECT
      count(distinct CASE WHEN ("orders".is_sale) THEN "orders".customer_key END) "sales__customers"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
