-- product_sales: measure.margin (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.margin"]}
-- params: []
SELECT
      sum("order_items".net_amount - "order_items".cost_amount) FILTER (WHERE ("order_items".is_sale AND "order_items".cost_amount IS NOT NULL)) "product_sales__margin"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
