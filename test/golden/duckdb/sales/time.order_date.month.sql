-- sales: time.order_date.month (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.revenue"],"timeDimensions":[{"dimension":"sales.order_date","granularity":"month","dateRange":["2025-03-01","2025-03-31"]}]}
-- params: ["2025-03-01T03:00:00.000Z","2025-04-01T02:59:59.999Z"]
SELECT
      DATE_TRUNC('month', timezone('America/Sao_Paulo', "orders".created_at::timestamptz)) "sales__order_date_month", sum("orders".total) FILTER (WHERE ("orders".is_sale)) "sales__revenue"
    FROM
      gold.fct_orders AS "orders"  WHERE ("orders".created_at >= ?::timestamptz AND "orders".created_at <= ?::timestamptz) GROUP BY 1 ORDER BY 1 ASC LIMIT 10000
