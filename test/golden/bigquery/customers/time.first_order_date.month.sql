-- customers: time.first_order_date.month (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.customers"],"timeDimensions":[{"dimension":"customers.first_order_date","granularity":"month","dateRange":["2025-03-01","2025-03-31"]}]}
-- params: ["2025-03-01T03:00:00.000000Z","2025-04-01T02:59:59.999999Z"]
SELECT
      TIMESTAMP(DATETIME_TRUNC(TIMESTAMP(DATETIME(`customer_360`.first_order_at, 'America/Sao_Paulo')), MONTH)) `customers__first_order_date_month`, count(`customer_360`.customer_id) `customers__customers`
    FROM
      `farol-golden.analytics.gold_customer_360` AS `customer_360`  WHERE (`customer_360`.first_order_at >= TIMESTAMP(?) AND `customer_360`.first_order_at <= TIMESTAMP(?)) GROUP BY 1 ORDER BY 1 ASC LIMIT 10000
