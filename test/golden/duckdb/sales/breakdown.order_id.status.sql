-- sales: breakdown.order_id.status (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.revenue","sales.orders"],"dimensions":["sales.order_id","sales.status"],"filters":[{"member":"sales.order_id","operator":"notEquals","values":["O'Brien; DROP TABLE gold.fct_orders"]}],"order":[["sales.revenue","desc"]],"limit":50}
-- params: ["O'Brien; DROP TABLE gold.fct_orders"]
SELECT
      "orders".order_id "sales__order_id", "orders".status "sales__status", sum("orders".total) FILTER (WHERE ("orders".is_sale)) "sales__revenue", count(*) FILTER (WHERE ("orders".is_sale)) "sales__orders"
    FROM
      gold.fct_orders AS "orders"  WHERE ("orders".order_id <> ? OR "orders".order_id IS NULL) GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 50
