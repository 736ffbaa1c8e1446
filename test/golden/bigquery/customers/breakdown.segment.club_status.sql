-- customers: breakdown.segment.club_status (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.customers","customers.new_customers"],"dimensions":["customers.segment","customers.club_status"],"filters":[{"member":"customers.segment","operator":"notEquals","values":["O'Brien; DROP TABLE gold.fct_orders"]}],"order":[["customers.customers","desc"]],"limit":50}
-- params: ["O'Brien; DROP TABLE gold.fct_orders"]
SELECT
      `customer_360`.segment `customers__segment`, `customer_360`.club_status `customers__club_status`, count(`customer_360`.customer_id) `customers__customers`, count(CASE WHEN (`customer_360`.orders > 0) THEN `customer_360`.customer_id END) `customers__new_customers`
    FROM
      `farol-golden.analytics.gold_customer_360` AS `customer_360`  WHERE (`customer_360`.segment <> ? OR `customer_360`.segment IS NULL) GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 50
