-- product_sales: measure.average_unit_price (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.average_unit_price"]}
-- params: []
SELECT
      sum(CASE WHEN ("order_items".is_sale) THEN "order_items".net_amount END) / NULLIF(sum(CASE WHEN ("order_items".is_sale) THEN "order_items".quantity END), 0) "product_sales__average_unit_price"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
