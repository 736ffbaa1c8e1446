-- sales: measure.discounts (duckdb, timezone America/Sao_Paulo)
-- query:  {"measures":["sales.discounts"]}
-- params: []
SELECT
      sum(ABS("orders".discounts_total)) FILTER (WHERE ("orders".is_sale)) "sales__discounts"
    FROM
      gold.fct_orders AS "orders"  LIMIT 10000
