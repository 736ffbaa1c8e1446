-- sales: time.order_date.month (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.revenue"],"timeDimensions":[{"dimension":"sales.order_date","granularity":"month","dateRange":["2025-03-01","2025-03-31"]}]}
-- params: ["2025-03-01T03:00:00.000000Z","2025-04-01T02:59:59.999999Z"]
SELECT
      TIMESTAMP(DATETIME_TRUNC(TIMESTAMP(DATETIME(`orders`.created_at, 'America/Sao_Paulo')), MONTH)) `sales__order_date_month`, sum(CASE WHEN (`orders`.is_sale) THEN `orders`.total END) `sales__revenue`
    FROM
      `farol-golden.analytics.gold_fct_orders` AS `orders`  WHERE (`orders`.created_at >= TIMESTAMP(?) AND `orders`.created_at <= TIMESTAMP(?)) GROUP BY 1 ORDER BY 1 ASC LIMIT 10000
