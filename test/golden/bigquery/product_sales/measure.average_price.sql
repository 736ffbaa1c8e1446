-- product_sales: measure.average_price (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.average_price"]}
-- params: []
SELECT
      sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.net_amount END) / NULLIF(sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.quantity END), 0) `product_sales__average_price`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  LIMIT 10000
