-- store_targets: time.month.month (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["store_targets.revenue_target"],"timeDimensions":[{"dimension":"store_targets.month","granularity":"month","dateRange":["2025-03-01","2025-03-31"]}]}
-- params: ["2025-03-01T00:00:00.000","2025-03-31T23:59:59.999"]
SELECT
      DATE_TRUNC('month', "monthly_targets".month::timestamp) "store_targets__month_month", sum("monthly_targets".revenue_target) "store_targets__revenue_target"
    FROM
      gold.fct_store_targets AS "monthly_targets"  WHERE ("monthly_targets".month >= ?::timestamp AND "monthly_targets".month <= ?::timestamp) GROUP BY 1 ORDER BY 1 ASC LIMIT 10000
