-- sales: measure.revenue (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.revenue"]}
-- params: []
SELECT
      sum(CASE WHEN (`orders`.is_sale) THEN `orders`.total END) `sales__revenue`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
