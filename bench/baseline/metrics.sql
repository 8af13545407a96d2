-- The limit's metric answers: hand-written SQL over the marts of marts.sql, at month grain, by
-- segment where the metric has one. Each `-- metric: <id>` block is one query whose columns are
-- `period`, optionally `segment`, and the value named after the metric.

-- metric: mrr
SELECT m.month AS period, c.segment, sum(m.mrr) AS mrr
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: arr
SELECT m.month AS period, c.segment, sum(m.mrr) * 12 AS arr
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: new_mrr
SELECT m.month AS period, c.segment, sum(m.new_mrr) AS new_mrr
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: expansion_mrr
SELECT m.month AS period, c.segment, sum(m.expansion_mrr) AS expansion_mrr
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: contraction_mrr
SELECT m.month AS period, c.segment, sum(m.contraction_mrr) AS contraction_mrr
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: churned_mrr
SELECT m.month AS period, c.segment, sum(m.churned_mrr) AS churned_mrr
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: reactivation_mrr
SELECT m.month AS period, c.segment, sum(m.reactivation_mrr) AS reactivation_mrr
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: net_new_mrr
SELECT m.month AS period, c.segment,
  sum(m.new_mrr + m.expansion_mrr + m.reactivation_mrr - m.contraction_mrr - m.churned_mrr) AS net_new_mrr
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: active_customers
SELECT m.month AS period, c.segment, count(DISTINCT m.customer_id) FILTER (WHERE m.is_active) AS active_customers
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: arpa
SELECT m.month AS period, c.segment,
  sum(m.mrr) / nullif(count(DISTINCT m.customer_id) FILTER (WHERE m.is_active), 0) AS arpa
FROM customer_mrr_month m LEFT JOIN customers c USING (customer_id) GROUP BY ALL ORDER BY ALL;

-- metric: bookings
SELECT date_trunc('month', o.close_date)::DATE AS period, c.segment, sum(o.amount) FILTER (WHERE o.is_won) AS bookings
FROM opportunities o LEFT JOIN customers c USING (customer_id) WHERE o.close_date IS NOT NULL GROUP BY ALL ORDER BY ALL;

-- metric: won_deals
SELECT date_trunc('month', o.close_date)::DATE AS period, c.segment, count(*) FILTER (WHERE o.is_won) AS won_deals
FROM opportunities o LEFT JOIN customers c USING (customer_id) WHERE o.close_date IS NOT NULL GROUP BY ALL ORDER BY ALL;

-- metric: win_rate
SELECT date_trunc('month', o.close_date)::DATE AS period, c.segment,
  count(*) FILTER (WHERE o.is_won) / nullif(count(*) FILTER (WHERE o.is_closed), 0) AS win_rate
FROM opportunities o LEFT JOIN customers c USING (customer_id) WHERE o.close_date IS NOT NULL GROUP BY ALL ORDER BY ALL;

-- metric: win_rate_value
SELECT date_trunc('month', o.close_date)::DATE AS period, c.segment,
  sum(o.amount) FILTER (WHERE o.is_won) / nullif(sum(o.amount) FILTER (WHERE o.is_closed), 0) AS win_rate_value
FROM opportunities o LEFT JOIN customers c USING (customer_id) WHERE o.close_date IS NOT NULL GROUP BY ALL ORDER BY ALL;

-- metric: avg_deal_size
SELECT date_trunc('month', o.close_date)::DATE AS period, c.segment,
  sum(o.amount) FILTER (WHERE o.is_won) / nullif(count(*) FILTER (WHERE o.is_won), 0) AS avg_deal_size
FROM opportunities o LEFT JOIN customers c USING (customer_id) WHERE o.close_date IS NOT NULL GROUP BY ALL ORDER BY ALL;

-- metric: leads
SELECT date_trunc('month', entered_at)::DATE AS period, count(DISTINCT person_id) AS leads
FROM lifecycle WHERE stage = 'lead' GROUP BY ALL ORDER BY ALL;

-- metric: mqls
SELECT date_trunc('month', entered_at)::DATE AS period, count(DISTINCT person_id) AS mqls
FROM lifecycle WHERE stage = 'mql' GROUP BY ALL ORDER BY ALL;

-- metric: sqls
SELECT date_trunc('month', entered_at)::DATE AS period, count(DISTINCT person_id) AS sqls
FROM lifecycle WHERE stage = 'sql' GROUP BY ALL ORDER BY ALL;

-- metric: ad_spend
SELECT date_trunc('month', spend_date)::DATE AS period, sum(spend) AS ad_spend
FROM ad_spend GROUP BY ALL ORDER BY ALL;

-- metric: cost_per_lead
WITH spend AS (SELECT date_trunc('month', spend_date)::DATE AS period, sum(spend) AS spend FROM ad_spend GROUP BY ALL),
leads AS (SELECT date_trunc('month', entered_at)::DATE AS period, count(DISTINCT person_id) AS leads
          FROM lifecycle WHERE stage = 'lead' GROUP BY ALL)
SELECT period, spend.spend / nullif(leads.leads, 0) AS cost_per_lead
FROM spend FULL JOIN leads USING (period) ORDER BY ALL;
