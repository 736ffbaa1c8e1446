-- store_targets: measure.orders_target (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["store_targets.orders_target"]}
-- params: []
SELECT
      sum(`monthly_targets`.orders_target) `store_targets__orders_target`
    FROM
      `farol-golden.analytics.gold_fct_store_targets` AS `monthly_targets`  LIMIT 10000
