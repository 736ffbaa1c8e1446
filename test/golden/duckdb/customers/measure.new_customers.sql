-- customers: measure.new_customers (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.new_customers"]}
-- params: []
SELECT
      count(*) FILTER (WHERE ("customer_360".orders > 0)) "customers__new_customers"
    FROM
      gold.customer_360 AS "customer_360"  LIMIT 10000
