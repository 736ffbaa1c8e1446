-- product_sales: measure.units (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.units"]}
-- params: []
SELECT
      sum("order_items".quantity) FILTER (WHERE ("order_items".is_sale)) "product_sales__units"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
