-- customers: measure.returning_customers (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.returning_customers"]}
-- params: []
SELECT
      count(CASE WHEN (`customer_360`.is_returning) THEN `customer_360`.customer_id END) `customers__returning_customers`
    FROM
      `farol-golden.analytics.gold_customer_360` AS `customer_360`  LIMIT 10000
