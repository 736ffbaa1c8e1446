-- customers: measure.average_ltv (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.average_ltv"]}
-- params: []
SELECT
      sum("customer_360".ltv) / NULLIF(count(*) FILTER (WHERE ("customer_360".orders > 0)), 0) "customers__average_ltv"
    FROM
      gold.customer_360 AS "customer_360"  LIMIT 10000
