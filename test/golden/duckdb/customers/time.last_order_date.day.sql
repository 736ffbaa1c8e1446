-- customers: time.last_order_date.day (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["customers.customers"],"timeDimensions":[{"dimension":"customers.last_order_date","granularity":"day","dateRange":["2025-03-01","2025-03-31"]}]}
-- params: ["2025-03-01T03:00:00.000Z","2025-04-01T02:59:59.999Z"]
SELECT
      DATE_TRUNC('day', timezone('America/Sao_Paulo', "customer_360".last_order_at::timestamptz)) "customers__last_order_date_day", count(*) "customers__customers"
    FROM
      gold.customer_360 AS "customer_360"  WHERE ("customer_360".last_order_at >= ?::timestamptz AND "customer_360".last_order_at <= ?::timestamptz) GROUP BY 1 ORDER BY 1 ASC LIMIT 10000
