-- customers: measure.average_ticket (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.average_ticket"]}
-- params: []
SELECT
      sum("customer_360".ltv) / NULLIF(sum("customer_360".orders), 0) "customers__average_ticket"
    FROM
      gold.customer_360 AS "customer_360"  LIMIT 10000
