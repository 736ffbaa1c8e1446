-- sales: measure.shipping (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.shipping"]}
-- params: []
SELECT
      sum(CASE WHEN ("orders".is_sale) THEN "orders".shipping_total END) "sales__shipping"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
