-- customers: measure.ltv (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.ltv"]}
-- params: []
SELECT
      sum("customer_360".ltv) "customers__ltv"
    FROM
      gold.customer_360 AS "customer_360"  LIMIT 10000
