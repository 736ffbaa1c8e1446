-- customers: measure.customers (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.customers"]}
-- params: []
SELECT
      count(*) "customers__customers"
    FROM
      gold.customer_360 AS "customer_360"  LIMIT 10000
