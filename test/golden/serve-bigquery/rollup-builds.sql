-- metrics; params: ["STRING \"gold\""]
SELECT version FROM `farol-test.analytics.ops_data_versions` WHERE layer = ?;

-- metrics; params: ["STRING \"preagg_\"","STRING \"preagg_\""]
SELECT SUBSTR(table_name, LENGTH(?) + 1) AS table_name FROM `farol-test.analytics.INFORMATION_SCHEMA.TABLES` WHERE STARTS_WITH(table_name, ?);

-- execute; params: []
CREATE TABLE `farol-test.analytics.preagg_orders_sales_daily_049d2b63ca_v7` AS SELECT
  `channels`.channel_key `channels__channel_key`, `channels`.channel_name `channels__name`, `channels`.channel_type `channels__type`, `stores`.store_name `stores__name`, `stores`.store_key `stores__store_key`, TIMESTAMP(DATETIME_TRUNC(TIMESTAMP(DATETIME(`orders`.created_at, 'America/Sao_Paulo')), DAY)) `orders__order_date_day`, count(CASE WHEN (`orders`.is_canceled) THEN `orders`.order_key END) `orders__canceled_orders`, count(CASE WHEN (`orders`.is_sale) THEN `orders`.order_key END) `orders__count`, sum(CASE WHEN (`orders`.is_sale) THEN ABS(`orders`.discounts_total) END) `orders__discounts`, sum(`orders`.total) `orders__gmv`, sum(CASE WHEN (`orders`.is_sale) THEN `orders`.items_count END) `orders__items_sold`, count(`orders`.order_key) `orders__placed_orders`, sum(CASE WHEN (`orders`.is_sale) THEN `orders`.total END) `orders__revenue`, sum(CASE WHEN (`orders`.is_sale) THEN `orders`.shipping_total END) `orders__shipping`
    FROM
  `farol-test.analytics.gold_fct_orders` AS `orders`
LEFT JOIN `farol-test.analytics.gold_dim_channel` AS `channels` ON `orders`.channel_key = `channels`.channel_key
LEFT JOIN `farol-test.analytics.gold_dim_store` AS `stores` ON `orders`.store_key = `stores`.store_key  GROUP BY 1, 2, 3, 4, 5, 6;

-- metrics; params: ["STRING \"gold\""]
SELECT version FROM `farol-test.analytics.ops_data_versions` WHERE layer = ?;

-- execute; params: []
DROP TABLE IF EXISTS `farol-test.analytics.preagg_orders_sales_daily_049d2b63ca_v5`;

-- execute; params: []
DROP TABLE IF EXISTS `farol-test.analytics.preagg_orders_sales_daily_0123456789_v6`;
