-- sales: segment.sales_only (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.revenue"],"segments":["sales.sales_only"]}
-- params: []
SELECT
      sum(CASE WHEN (`orders`.is_sale) THEN `orders`.total END) `sales__revenue`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  WHERE (`orders`.is_sale) LIMIT 10000
