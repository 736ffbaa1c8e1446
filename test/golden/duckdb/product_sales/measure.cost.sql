-- product_sales: measure.cost (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.cost"]}
-- params: []
SELECT
      sum(CASE WHEN ("order_items".is_sale) THEN "order_items".cost_amount END) "product_sales__cost"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
