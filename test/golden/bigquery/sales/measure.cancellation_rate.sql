-- sales: measure.cancellation_rate (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.cancellation_rate"]}
-- params: []
SELECT
      count(CASE WHEN (`orders`.is_canceled) THEN `orders`.order_key END) / NULLIF(count(`orders`.order_key), 0) `sales__cancellation_rate`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
