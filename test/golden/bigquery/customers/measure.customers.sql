-- customers: measure.customers (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.customers"]}
-- params: []
SELECT
      count(`customer_360`.customer_id) `customers__customers`
    FROM
      `farol-golden.analytics.gold_customer_360` AS `customer_360`  LIMIT 10000
