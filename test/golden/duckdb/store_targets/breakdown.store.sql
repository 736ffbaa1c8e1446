-- store_targets: breakdown.store (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["store_targets.revenue_target","store_targets.orders_target"],"dimensions":["store_targets.store"],"filters":[{"member":"store_targets.store","operator":"notEquals","values":["O'Brien; DROP TABLE gold.fct_orders"]}],"order":[["store_targets.revenue_target","desc"]],"limit":50}
-- params: ["O'Brien; DROP TABLE gold.fct_orders"]
SELECT
      "stores".store_name "store_targets__store", sum("monthly_targets".revenue_target) "store_targets__revenue_target", sum("monthly_targets".orders_target) "store_targets__orders_target"
    FROM
      gold.fct_store_targets AS "monthly_targets"
LEFT JOIN gold.dim_store AS "stores" ON "monthly_targets".store_key = "stores".store_key  WHERE ("stores".store_name <> ? OR "stores".store_name IS NULL) GROUP BY 1 ORDER BY 2 DESC LIMIT 50
