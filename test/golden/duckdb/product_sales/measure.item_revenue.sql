-- product_sales: measure.item_revenue (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.item_revenue"]}
-- params: []
SELECT
      sum("order_items".net_amount) FILTER (WHERE ("order_items".is_sale)) "product_sales__item_revenue"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
