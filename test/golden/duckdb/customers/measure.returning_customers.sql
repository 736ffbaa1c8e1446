-- customers: measure.returning_customers (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.returning_customers"]}
-- params: []
SELECT
      count(*) FILTER (WHERE ("customer_360".is_returning)) "customers__returning_customers"
    FROM
      gold.customer_360 AS "customer_360"  LIMIT 10000
