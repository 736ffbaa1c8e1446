-- sales: measure.placed_orders (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.placed_orders"]}
-- params: []
SELECT
      count(*) "sales__placed_orders"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
