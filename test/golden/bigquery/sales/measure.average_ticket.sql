-- sales: measure.average_ticket (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.average_ticket"]}
-- params: []
SELECT
      sum(CASE WHEN (`orders`.is_sale) THEN `orders`.total END) / NULLIF(count(CASE WHEN (`orders`.is_sale) THEN `orders`.order_key END), 0) `sales__average_ticket`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
