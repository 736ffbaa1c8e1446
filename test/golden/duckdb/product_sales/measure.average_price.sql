-- product_sales: measure.average_price (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.average_price"]}
-- params: []
SELECT
      sum("order_items".net_amount) FILTER (WHERE ("order_items".is_sale)) / NULLIF(sum("order_items".quantity) FILTER (WHERE ("order_items".is_sale)), 0) "product_sales__average_price"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
