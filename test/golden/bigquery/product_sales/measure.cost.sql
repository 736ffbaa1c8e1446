-- product_sales: measure.cost (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.cost"]}
-- params: []
SELECT
      sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.cost_amount END) `product_sales__cost`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  LIMIT 10000
