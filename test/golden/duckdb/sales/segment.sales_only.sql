-- sales: segment.sales_only (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.revenue"],"segments":["sales.sales_only"]}
-- params: []
SELECT
      sum("orders".total) FILTER (WHERE ("orders".is_sale)) "sales__revenue"
    FROM
      gold.fct_orders AS "orders"  WHERE ("orders".is_sale) LIMIT 10000
