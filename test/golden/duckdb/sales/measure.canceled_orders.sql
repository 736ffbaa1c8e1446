-- sales: measure.canceled_orders (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.canceled_orders"]}
-- params: []
SELECT
      count(*) FILTER (WHERE ("orders".is_canceled)) "sales__canceled_orders"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
