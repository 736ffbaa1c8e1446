-- sales: measure.customers (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.customers"]}
-- params: []
SELECT
      count(distinct "orders".customer_key) FILTER (WHERE ("orders".is_sale)) "sales__customers"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
