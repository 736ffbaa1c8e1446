-- sales: measure.orders (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.orders"]}
-- params: []
SELECT
      count(*) FILTER (WHERE ("orders".is_sale)) "sales__orders"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
