-- customers: measure.average_ltv (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.average_ltv"]}
-- params: []
SELECT
      sum(`customer_360`.ltv) / NULLIF(count(CASE WHEN (`customer_360`.orders > 0) THEN `customer_360`.customer_id END), 0) `customers__average_ltv`
    FROM
      `farol-golden.analytics.gold_customer_360` AS `customer_360`  LIMIT 10000
