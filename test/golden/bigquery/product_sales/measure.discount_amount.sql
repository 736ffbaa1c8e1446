-- product_sales: measure.discount_amount (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.discount_amount"]}
-- params: []
SELECT
      sum(CASE WHEN (`order_items`.is_sale) THEN ABS(`order_items`.discount_amount) END) `product_sales__discount_amount`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  LIMIT 10000
