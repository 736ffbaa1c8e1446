-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.gold_dim_product` AS t
    USING (
  SELECT p.sku_id AS product_key, p.product_id, p.name, p.brand_name, p.category_ids, p.ref_id, p.ean, p.product_name, p.department,
  p.category, p.category_path, p.is_active, pr.base_price, pr.list_price, pr.cost_price, true AS in_catalog
  FROM `farol-test.analytics.silver_products` p
  LEFT JOIN `farol-test.analytics.silver_product_prices` pr ON pr.source = p.source AND pr.sku_id = p.sku_id
  WHERE EXISTS (SELECT 1 FROM (SELECT source, sku_id FROM _SESSION.stage_changed_products) c WHERE c.source = p.source AND c.sku_id = p.sku_id)) AS s
    ON t.product_key = s.product_key
    WHEN MATCHED THEN UPDATE SET product_id = s.product_id, name = s.name, brand_name = s.brand_name, category_ids = s.category_ids, ref_id = s.ref_id, ean = s.ean, product_name = s.product_name, department = s.department, category = s.category, category_path = s.category_path, is_active = s.is_active, base_price = s.base_price, list_price = s.list_price, cost_price = s.cost_price, in_catalog = s.in_catalog
    WHEN NOT MATCHED THEN INSERT (product_key, product_id, name, brand_name, category_ids, ref_id, ean, product_name, department, category, category_path, is_active, base_price, list_price, cost_price, in_catalog)
  VALUES (s.product_key, s.product_id, s.name, s.brand_name, s.category_ids, s.ref_id, s.ean, s.product_name, s.department, s.category, s.category_path, s.is_active, s.base_price, s.list_price, s.cost_price, s.in_catalog);

-- transaction (in the session); params: []

    MERGE INTO `farol-test.analytics.gold_dim_store` AS t
    USING (SELECT DISTINCT store_key FROM _SESSION.stage_changed_store_targets) AS s
    ON t.store_key = s.store_key
    WHEN NOT MATCHED THEN INSERT (store_key, store_name) VALUES (s.store_key, s.store_key);

-- transaction (in the session); params: []

    DELETE FROM `farol-test.analytics.gold_fct_store_targets` AS f
    WHERE EXISTS (SELECT 1 FROM _SESSION.stage_changed_store_targets c WHERE c.store_key = f.store_key AND c.month = f.month);

-- transaction (in the session); params: []

    INSERT INTO `farol-test.analytics.gold_fct_store_targets` (store_key, month, revenue_target, orders_target)
    SELECT store_key, month, revenue_target, orders_target FROM (
  SELECT s.store_key, s.month, s.revenue_target, s.orders_target,
  row_number() OVER (PARTITION BY s.store_key, s.month ORDER BY s.changed_at DESC) AS n
  FROM `farol-test.analytics.silver_store_targets` s
  WHERE EXISTS (SELECT 1 FROM (SELECT source, store_key, month FROM _SESSION.stage_changed_store_targets) c WHERE c.source = s.source AND c.store_key = s.store_key AND c.month = s.month)
    ) AS latest
    WHERE n = 1;
