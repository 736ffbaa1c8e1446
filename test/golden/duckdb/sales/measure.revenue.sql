-- sales: measure.revenue (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.revenue"]}
-- params: []
SELECT
      sum("orders".total) FILTER (WHERE ("orders".is_sale)) "sales__revenue"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
