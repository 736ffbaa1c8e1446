-- product_sales: measure.discount_amount (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.discount_amount"]}
-- params: []
SELECT
      sum(ABS("order_items".discount_amount)) FILTER (WHERE ("order_items".is_sale)) "product_sales__discount_amount"
    FROM
      gold.fct_sales AS "order_items"  LIMIT 10000
