-- product_sales: measure.units (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.units"]}
-- params: []
SELECT
      sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.quantity END) `product_sales__units`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  LIMIT 10000
