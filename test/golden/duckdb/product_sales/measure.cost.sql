-- product_sales: measure.cost (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.cost"]}
-- params: []
SELECT
      sum("order_items".cost_amount) FILTER (WHERE ("order_items".is_sale)) "product_sales__cost"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
