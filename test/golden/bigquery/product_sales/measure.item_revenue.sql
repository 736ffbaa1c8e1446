-- product_sales: measure.item_revenue (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.item_revenue"]}
-- params: []
SELECT
      sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.net_amount END) `product_sales__item_revenue`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  LIMIT 10000
