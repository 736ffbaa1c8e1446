-- customers: measure.ltv (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.ltv"]}
-- params: []
SELECT
      sum(`customer_360`.ltv) `customers__ltv`
    FROM
      `farol-golden.analytics.gold_customer_360` AS `customer_360`  LIMIT 10000
