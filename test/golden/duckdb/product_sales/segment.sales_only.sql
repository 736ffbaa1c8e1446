-- product_sales: segment.sales_only (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.item_revenue"],"segments":["product_sales.sales_only"]}
-- params: []
SELECT
      sum("order_items".net_amount) FILTER (WHERE ("order_items".is_sale)) "product_sales__item_revenue"
    FROM
      gold.fct_sales AS "order_items"  WHERE ("order_items".is_sale) LIMIT 10000
