-- sales: measure.gmv (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.gmv"]}
-- params: []
SELECT
      sum("orders".total) "sales__gmv"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
