-- sales: measure.gross_merchandise_value (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.gross_merchandise_value"]}
-- params: []
SELECT
      sum(CASE WHEN ("orders".is_sale) THEN "orders".items_total END) "sales__gross_merchandise_value"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
