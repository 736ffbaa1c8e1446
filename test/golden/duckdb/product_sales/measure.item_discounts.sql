-- product_sales: measure.item_discounts (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.item_discounts"]}
-- params: []
SELECT
      sum(CASE WHEN ("order_items".is_sale) THEN ABS("order_items".discount_amount) END) "product_sales__item_discounts"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
