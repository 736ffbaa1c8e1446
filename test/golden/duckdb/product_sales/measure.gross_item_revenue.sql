-- product_sales: measure.gross_item_revenue (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.gross_item_revenue"]}
-- params: []
SELECT
      sum("order_items".gross_amount) FILTER (WHERE ("order_items".is_sale)) "product_sales__gross_item_revenue"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
