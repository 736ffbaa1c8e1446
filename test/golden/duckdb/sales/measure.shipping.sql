-- sales: measure.shipping (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.shipping"]}
-- params: []
SELECT
      sum("orders".shipping_total) FILTER (WHERE ("orders".is_sale)) "sales__shipping"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
