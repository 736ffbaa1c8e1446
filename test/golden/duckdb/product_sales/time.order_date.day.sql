-- product_sales: time.order_date.day (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.item_revenue"],"timeDimensions":[{"dimension":"product_sales.order_date","granularity":"day","dateRange":["2025-03-01","2025-03-31"]}]}
-- params: ["2025-03-01T03:00:00.000Z","2025-04-01T02:59:59.999Z"]
SELECT
      DATE_TRUNC('day', timezone('America/Sao_Paulo', "order_items".created_at::timestamptz)) "product_sales__order_date_day", sum("order_items".net_amount) FILTER (WHERE ("order_items".is_sale)) "product_sales__item_revenue"
    FROM
      gold.fct_sales AS "order_items"  WHERE ("order_items".created_at >= ?::timestamptz AND "order_items".created_at <= ?::timestamptz) GROUP BY 1 ORDER BY 1 ASC LIMIT 10000
