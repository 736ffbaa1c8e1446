-- product_sales: time.order_date.day (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.item_revenue"],"timeDimensions":[{"dimension":"product_sales.order_date","granularity":"day","dateRange":["2025-03-01","2025-03-31"]}]}
-- params: ["2025-03-01T03:00:00.000000Z","2025-04-01T02:59:59.999999Z"]
SELECT
      TIMESTAMP(DATETIME_TRUNC(TIMESTAMP(DATETIME(`order_items`.created_at, 'America/Sao_Paulo')), DAY)) `product_sales__order_date_day`, sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.net_amount END) `product_sales__item_revenue`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  WHERE (`order_items`.created_at >= TIMESTAMP(?) AND `order_items`.created_at <= TIMESTAMP(?)) GROUP BY 1 ORDER BY 1 ASC LIMIT 10000
