-- product_sales: measure.margin (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.margin"]}
-- params: []
SELECT
      sum(CASE WHEN (`order_items`.is_sale AND `order_items`.cost_amount IS NOT NULL) THEN `order_items`.net_amount - `order_items`.cost_amount END) `product_sales__margin`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  LIMIT 10000
