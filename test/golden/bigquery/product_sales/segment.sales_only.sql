-- product_sales: segment.sales_only (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.item_revenue"],"segments":["product_sales.sales_only"]}
-- params: []
SELECT
      sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.net_amount END) `product_sales__item_revenue`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  WHERE (`order_items`.is_sale) LIMIT 10000
