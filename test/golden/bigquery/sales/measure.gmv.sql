-- sales: measure.gmv (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.gmv"]}
-- params: []
SELECT
      sum(`orders`.total) `sales__gmv`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  LIMIT 10000
