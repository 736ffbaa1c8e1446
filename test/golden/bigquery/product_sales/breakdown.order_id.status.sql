-- product_sales: breakdown.order_id.status (bigquery, timezone America/Sao_Paulo)
-- query:  {"measures":["product_sales.item_revenue","product_sales.units"],"dimensions":["product_sales.order_id","product_sales.status"],"filters":[{"member":"product_sales.order_id","operator":"notEquals","values":["O'Brien; DROP TABLE gold.fct_orders"]}],"order":[["product_sales.item_revenue","desc"]],"limit":50}
-- params: ["O'Brien; DROP TABLE gold.fct_orders"]
SELECT
      `order_items`.order_id `product_sales__order_id`, `order_items`.status `product_sales__status`, sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.net_amount END) `product_sales__item_revenue`, sum(CASE WHEN (`order_items`.is_sale) THEN `order_items`.quantity END) `product_sales__units`
    FROM
      `farol-golden.analytics.gold_fct_sales` AS `order_items`  WHERE (`order_items`.order_id <> ? OR `order_items`.order_id IS NULL) GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 50
