-- sales: measure.average_ticket (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.average_ticket"]}
-- params: []
SELECT
      sum("orders".total) FILTER (WHERE ("orders".is_sale)) / NULLIF(count(*) FILTER (WHERE ("orders".is_sale)), 0) "sales__average_ticket"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
