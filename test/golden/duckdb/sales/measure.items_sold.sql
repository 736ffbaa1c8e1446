-- sales: measure.items_sold (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.items_sold"]}
-- params: []
SELECT
      sum("orders".items_count) FILTER (WHERE ("orders".is_sale)) "sales__items_sold"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
