-- sales: measure.cancellation_rate (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.cancellation_rate"]}
-- params: []
SELECT
      count(*) FILTER (WHERE ("orders".is_canceled)) / NULLIF(count(*), 0) "sales__cancellation_rate"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
