-- store_targets: measure.revenue_target (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["store_targets.revenue_target"]}
-- params: []
SELECT
      sum("monthly_targets".revenue_target) "store_targets__revenue_target"
    FROM
      gold.fct_store_targets AS "monthly_targets"  LIMIT 10000
