-- product_sales: measure.gross_item_revenue (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.gross_item_revenue"]}
-- params: []
SELECT
      sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.gross_amount END) `product_sales__gross_item_revenue`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  LIMIT 10000
