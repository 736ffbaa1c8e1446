-- customers: measure.new_customers (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.new_customers"]}
-- params: []
SELECT
      count(CASE WHEN (`customer_360`.orders > 0) THEN `customer_360`.customer_id END) `customers__new_customers`
    FROM
      `farol-golden.analytics.gold_customer_360` AS `customer_360`  LIMIT 10000
