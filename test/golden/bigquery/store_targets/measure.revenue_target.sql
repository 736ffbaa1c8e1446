-- store_targets: measure.revenue_target (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["store_targets.revenue_target"]}
-- params: []
SELECT
      sum(`monthly_targets`.revenue_target) `store_targets__revenue_target`
    FROM
      `farol-golden.analytics.gold_fct_store_targets` AS `monthly_targets`  LIMIT 10000
