-- The limit: the main marts the governed metrics read, built by one hand-written SQL script run
-- directly on DuckDB from the landed raw JSON (no framework, no contracts, no tests, no
-- environments). Default revenue policy on the demo data only. `${raw:<source>/<entity>}` is
-- replaced by a read of that entity's landed files; each `-- step:` is timed on its own.

-- step: latest versions
CREATE MACRO minor_unit(cur) AS CASE
  WHEN upper(cur) IN ('BIF','CLP','DJF','GNF','JPY','KMF','KRW','MGA','PYG','RWF','UGX','VND','VUV','XAF','XOF','XPF') THEN 1.0
  WHEN upper(cur) IN ('BHD','JOD','KWD','OMR','TND') THEN 1000.0 ELSE 100.0 END;
CREATE MACRO epoch_ts(v) AS make_timestamp(CAST(TRY_CAST(v AS BIGINT) AS BIGINT) * 1000000);
CREATE MACRO iso_ts(v) AS CAST(TRY_CAST(nullif(trim(v), '') AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP);
CREATE MACRO clean_domain(w) AS nullif(regexp_replace(regexp_replace(regexp_replace(lower(trim(w)),
  '^[a-z][a-z0-9+.-]*://', ''), '^www[0-9]*[.]', ''), '[/?#:].*$', ''), '');
CREATE MACRO free_domain(d) AS d IN ('gmail.com','googlemail.com','yahoo.com','yahoo.co.jp','yahoo.co.uk',
  'yahoo.fr','hotmail.com','hotmail.co.uk','outlook.com','live.com','msn.com','icloud.com','me.com','mac.com',
  'aol.com','proton.me','protonmail.com','gmx.de','gmx.net','web.de','t-online.de','orange.fr','free.fr',
  'mail.ru','yandex.ru','qq.com','163.com','naver.com');

CREATE TABLE raw_latest AS
SELECT entity, _id, _deleted, payload FROM (
  SELECT *, row_number() OVER (PARTITION BY entity, _id
    ORDER BY coalesce(_updated_at, _ingested_at) DESC, _ingested_at DESC, payload DESC) AS version
  FROM (
    SELECT 'stripe_customers' AS entity, * FROM ${raw:stripe/customers}
    UNION ALL SELECT 'stripe_subscriptions', * FROM ${raw:stripe/subscriptions}
    UNION ALL SELECT 'stripe_prices', * FROM ${raw:stripe/prices}
    UNION ALL SELECT 'stripe_invoices', * FROM ${raw:stripe/invoices}
    UNION ALL SELECT 'stripe_events', * FROM ${raw:stripe/events}
    UNION ALL SELECT 'sf_account', * FROM ${raw:salesforce/account}
    UNION ALL SELECT 'sf_opportunity', * FROM ${raw:salesforce/opportunity}
    UNION ALL SELECT 'sf_lead', * FROM ${raw:salesforce/lead}
    UNION ALL SELECT 'hs_companies', * FROM ${raw:hubspot/companies}
    UNION ALL SELECT 'hs_contacts', * FROM ${raw:hubspot/contacts}
    UNION ALL SELECT 'fx_rates', * FROM ${raw:finance/fx_rates}
    UNION ALL SELECT 'account_map', * FROM ${raw:finance/account_map}
    UNION ALL SELECT 'ads_google', * FROM ${raw:ads/google_ads}
    UNION ALL SELECT 'ads_meta', * FROM ${raw:ads/meta_ads}
    UNION ALL SELECT 'ads_linkedin', * FROM ${raw:ads/linkedin_ads}
    UNION ALL SELECT 'ads_plain', * FROM ${raw:ads/ad_spend}
  )
) WHERE version = 1;

-- step: fx rates
CREATE TABLE fx AS
WITH rates AS (
  SELECT CAST(payload->>'$.date' AS DATE) AS rate_date, upper(payload->>'$.currency') AS currency,
         CAST(payload->>'$.rate_to_reporting' AS DOUBLE) AS rate
  FROM raw_latest WHERE entity = 'fx_rates' AND NOT _deleted
)
SELECT r.rate_date, r.currency, r.rate / coalesce(u.rate, 1) AS rate
FROM rates r ASOF LEFT JOIN rates u ON u.currency = 'USD' AND r.rate_date >= u.rate_date;

CREATE TABLE fx_first AS SELECT currency, arg_min(rate, rate_date) AS rate FROM fx GROUP BY currency;

-- step: billing staging
CREATE TABLE subscriptions AS
SELECT _id AS subscription_id, payload->>'$.status' AS status,
       epoch_ts(payload->>'$.created') AS created_at,
       coalesce(epoch_ts(payload->>'$.current_period_start'), epoch_ts(payload->>'$.items.data[0].current_period_start')) AS current_period_start,
       epoch_ts(payload->>'$.trial_start') AS trial_start, epoch_ts(payload->>'$.trial_end') AS trial_end,
       payload->>'$.pause_collection.behavior' AS pause_behavior,
       epoch_ts(payload->>'$.pause_collection.resumes_at') AS pause_resumes_at
FROM raw_latest WHERE entity = 'stripe_subscriptions';

CREATE TABLE prices AS
SELECT _id AS price_id, payload->>'$.product' AS product_id, payload->>'$.type' AS price_type,
       coalesce(TRY_CAST(payload->>'$.unit_amount_decimal' AS DOUBLE), TRY_CAST(payload->>'$.unit_amount' AS DOUBLE)) / minor_unit(payload->>'$.currency') AS unit_amount,
       payload->>'$.recurring.interval' AS billing_interval,
       TRY_CAST(payload->>'$.recurring.interval_count' AS BIGINT) AS interval_count,
       CASE WHEN payload->>'$.type' = 'recurring' THEN coalesce(payload->>'$.recurring.usage_type', 'licensed') END AS usage_type
FROM raw_latest WHERE entity = 'stripe_prices';

CREATE TABLE invoices AS
SELECT _id AS invoice_id, _deleted AS is_deleted, payload->>'$.customer' AS customer_id,
       coalesce(payload->>'$.subscription', payload->>'$.parent.subscription_details.subscription') AS subscription_id,
       payload->>'$.status' AS status, epoch_ts(payload->>'$.created') AS created_at, payload
FROM raw_latest WHERE entity = 'stripe_invoices';

CREATE TABLE lines AS
WITH landed AS (
  SELECT r._id AS line_key, r.payload AS line, coalesce(r._updated_at, r._ingested_at) AS cursor, r._ingested_at
  FROM ${raw:stripe/invoice_line_items} r
  UNION ALL
  SELECT i._id || '|' || (e.line->>'$.id'), e.line, coalesce(i._updated_at, i._ingested_at), i._ingested_at
  FROM ${raw:stripe/invoices} i, unnest(CAST(i.payload->'$.lines.data' AS JSON[])) AS e(line)
  WHERE NOT i._deleted
), chosen AS (
  SELECT line_key, CAST(line AS JSON) AS line FROM (
    SELECT *, row_number() OVER (PARTITION BY line_key ORDER BY cursor DESC, _ingested_at DESC) AS n FROM landed
  ) WHERE n = 1 AND line_key IS NOT NULL
)
SELECT line_key, split_part(line_key, '|', 1) AS invoice_id,
  coalesce(line->>'$.subscription', line->>'$.parent.subscription_item_details.subscription') AS subscription_id,
  coalesce(line->>'$.subscription_item', line->>'$.parent.subscription_item_details.subscription_item') AS subscription_item_id,
  coalesce(line->>'$.pricing.price_details.price', line->>'$.price.id', line->>'$.plan.id') AS price_id,
  upper(line->>'$.currency') AS currency,
  CAST(line->>'$.amount' AS DOUBLE) / minor_unit(line->>'$.currency') AS amount,
  coalesce((SELECT sum(CAST(d->>'$.amount' AS DOUBLE)) FROM unnest(CAST(line->'$.discount_amounts' AS JSON[])) AS t(d)), 0)
    / minor_unit(line->>'$.currency') AS discount,
  (coalesce((SELECT sum(CASE WHEN (x->>'$.inclusive') = 'true' THEN CAST(x->>'$.amount' AS DOUBLE) ELSE 0 END)
             FROM unnest(CAST(line->'$.tax_amounts' AS JSON[])) AS t(x)), 0)
   + coalesce((SELECT sum(CASE WHEN (x->>'$.tax_behavior') = 'inclusive' THEN CAST(x->>'$.amount' AS DOUBLE) ELSE 0 END)
               FROM unnest(CAST(line->'$.taxes' AS JSON[])) AS t(x)), 0))
    / minor_unit(line->>'$.currency') AS inclusive_tax,
  TRY_CAST(line->>'$.quantity' AS DOUBLE) AS quantity,
  epoch_ts(line->>'$.period.start') AS period_start, epoch_ts(line->>'$.period.end') AS period_end,
  coalesce(TRY_CAST(line->>'$.pricing.unit_amount_decimal' AS DOUBLE), TRY_CAST(line->>'$.price.unit_amount_decimal' AS DOUBLE),
           TRY_CAST(line->>'$.price.unit_amount' AS DOUBLE), TRY_CAST(line->>'$.plan.amount_decimal' AS DOUBLE),
           TRY_CAST(line->>'$.plan.amount' AS DOUBLE)) / minor_unit(line->>'$.currency') AS unit_amount,
  coalesce(line->>'$.price.type', CASE WHEN line->>'$.plan.id' IS NOT NULL THEN 'recurring' END) AS price_type,
  coalesce(line->>'$.price.recurring.interval', line->>'$.plan.interval') AS billing_interval,
  TRY_CAST(coalesce(line->>'$.price.recurring.interval_count', line->>'$.plan.interval_count') AS BIGINT) AS interval_count,
  coalesce(line->>'$.price.recurring.usage_type', line->>'$.plan.usage_type') AS usage_type
FROM chosen;

-- step: billing range
-- The data's as-of instant (latest customer, subscription, invoice or event) and its month.
CREATE TABLE billing_range AS
SELECT max(instant) AS as_of, CAST(date_trunc('month', max(instant)) AS DATE) AS last_month FROM (
  SELECT epoch_ts(payload->>'$.created') AS instant FROM raw_latest
  WHERE entity IN ('stripe_customers', 'stripe_subscriptions', 'stripe_invoices', 'stripe_events')
);

-- step: mrr lines
-- Each recurring licensed line's run-rate (METRICS.md normalisation) in native and reporting currency.
CREATE TABLE mrr_lines AS
SELECT l.line_key, i.customer_id, coalesce(l.subscription_id, i.subscription_id) AS subscription_id,
  coalesce(l.subscription_item_id, coalesce(l.subscription_id, i.subscription_id) || ':' || l.price_id, l.line_key) AS item_id,
  l.currency, l.period_start, l.period_end,
  CAST(date_trunc('month', l.period_start) AS DATE) AS first_month,
  CAST(date_trunc('month', l.period_end) - INTERVAL 1 MONTH AS DATE) AS last_month,
  (i.status = 'paid' OR (i.status = 'open' AND coalesce(s.status, '') NOT IN ('canceled', 'unpaid', 'incomplete_expired')))
    AND coalesce(l.amount, 0) <> 0
    AND NOT coalesce(l.period_start >= s.trial_start AND l.period_end <= s.trial_end, false) AS counts,
  CASE WHEN coalesce(l.amount, 0) = 0 THEN 0 ELSE
    coalesce(coalesce(l.unit_amount, p.unit_amount) * coalesce(l.quantity, 1), abs(l.amount))
    * CASE coalesce(l.billing_interval, p.billing_interval) WHEN 'month' THEN 1 WHEN 'year' THEN 1 / 12
        WHEN 'week' THEN 52 / 12 WHEN 'day' THEN 365 / 12 END
    / coalesce(l.interval_count, p.interval_count, 1)
    * ((l.amount - l.discount - l.inclusive_tax) / l.amount) * sign(l.amount) END AS run_rate_native
FROM lines l
JOIN invoices i ON i.invoice_id = l.invoice_id
LEFT JOIN prices p ON p.price_id = l.price_id
LEFT JOIN subscriptions s ON s.subscription_id = coalesce(l.subscription_id, i.subscription_id)
WHERE NOT i.is_deleted AND i.status IS NOT NULL AND i.status <> 'draft' AND i.customer_id IS NOT NULL
  AND l.currency IS NOT NULL AND l.period_start IS NOT NULL AND l.period_end IS NOT NULL
  AND coalesce(l.price_type, p.price_type) = 'recurring'
  AND coalesce(l.usage_type, p.usage_type, 'licensed') = 'licensed';

-- FX at the service period's start: the latest rate on or before the day, else the first; USD is 1.
CREATE TABLE mrr_lines_fx AS
SELECT l.*, coalesce(fx.rate, ff.rate, CASE WHEN l.currency = 'USD' THEN 1.0 END) AS fx_rate
FROM mrr_lines l
ASOF LEFT JOIN fx ON fx.currency = l.currency AND CAST(l.period_start AS DATE) >= fx.rate_date
LEFT JOIN fx_first ff ON ff.currency = l.currency;
DROP TABLE mrr_lines;
ALTER TABLE mrr_lines_fx RENAME TO mrr_lines;

-- step: item month
-- Month-end snapshots (the last month at the as-of instant); trials and pauses are 0.
CREATE TABLE item_month AS
WITH snapshots AS (
  SELECT s.line_key, CAST(m AS DATE) AS month, CAST(m + INTERVAL 1 MONTH AS TIMESTAMP) AS snapshot_at
  FROM mrr_lines s, billing_range r,
       LATERAL generate_series(CAST(s.first_month AS TIMESTAMP), CAST(s.last_month AS TIMESTAMP), INTERVAL 1 MONTH) AS g(m)
  WHERE m < r.last_month
  UNION ALL
  SELECT s.line_key, r.last_month, r.as_of FROM mrr_lines s, billing_range r
  WHERE s.period_start < r.as_of AND s.period_end >= r.as_of
), items AS (
  SELECT l.item_id, c.month, c.snapshot_at, any_value(l.subscription_id) AS subscription_id,
         any_value(l.customer_id) AS customer_id, max(l.currency) AS currency,
         sum(CASE WHEN l.counts THEN l.run_rate_native ELSE 0 END) AS mrr_native,
         sum(CASE WHEN l.counts THEN l.run_rate_native * l.fx_rate ELSE 0 END) AS mrr
  FROM snapshots c JOIN mrr_lines l USING (line_key)
  GROUP BY l.item_id, c.month, c.snapshot_at
)
SELECT i.customer_id, i.month, i.currency,
  CASE WHEN off THEN 0 ELSE round(i.mrr_native, 6) END AS mrr_native,
  CASE WHEN off THEN 0 ELSE round(i.mrr, 6) END AS mrr
FROM (
  SELECT i.*, coalesce(s.trial_start < i.snapshot_at AND (s.trial_end IS NULL OR s.trial_end >= i.snapshot_at), false)
      OR coalesce(CASE WHEN s.status = 'paused' THEN coalesce(s.trial_end, s.current_period_start)
                       WHEN s.pause_behavior IS NOT NULL THEN s.current_period_start END < i.snapshot_at
                  AND (s.pause_resumes_at IS NULL OR s.pause_resumes_at >= i.snapshot_at), false) AS off
  FROM items i LEFT JOIN subscriptions s USING (subscription_id)
) i;

-- step: customer mrr month
-- Each customer's MRR at each month end from its first month with MRR, with its movement;
-- FX is kept out of movements (a customer active in both months is valued at last month's rate).
CREATE TABLE customer_mrr_month AS
WITH sums AS (
  SELECT customer_id, month, sum(mrr) AS mrr_exact, sum(mrr_native) AS native_exact
  FROM item_month GROUP BY ALL
), cohorts AS (
  SELECT customer_id, min(CASE WHEN round(mrr_exact, 2) > 0 THEN month END) AS cohort_month
  FROM sums GROUP BY customer_id
), spine AS (
  SELECT c.customer_id, CAST(m.month AS DATE) AS month, c.cohort_month
  FROM cohorts c, billing_range r,
       LATERAL generate_series(CAST(c.cohort_month AS TIMESTAMP), CAST(r.last_month AS TIMESTAMP), INTERVAL 1 MONTH) AS m(month)
), series AS (
  SELECT p.*, coalesce(s.mrr_exact, 0) AS mrr_exact, coalesce(s.native_exact, 0) AS native_exact
  FROM spine p LEFT JOIN sums s USING (customer_id, month)
), valued AS (
  SELECT *, round(mrr_exact, 2) AS mrr,
    round(coalesce(lag(mrr_exact) OVER w, 0), 2) AS previous_mrr,
    CASE WHEN round(coalesce(lag(mrr_exact) OVER w, 0), 2) > 0 AND round(mrr_exact, 2) > 0
      THEN round(native_exact * CASE WHEN lag(native_exact) OVER w <> 0 THEN lag(mrr_exact) OVER w / lag(native_exact) OVER w ELSE 1 END, 2)
      ELSE round(mrr_exact, 2) END AS at_previous_rates
  FROM series WINDOW w AS (PARTITION BY customer_id ORDER BY month)
), moved AS (
  SELECT *, CASE WHEN month = cohort_month THEN 'new'
    WHEN previous_mrr > 0 AND mrr <= 0 THEN 'churn'
    WHEN previous_mrr <= 0 AND mrr > 0 THEN 'reactivation'
    WHEN at_previous_rates > previous_mrr THEN 'expansion'
    WHEN at_previous_rates < previous_mrr THEN 'contraction'
    ELSE 'unchanged' END AS movement
  FROM valued
)
SELECT customer_id, month, mrr, previous_mrr, movement,
  CASE movement WHEN 'new' THEN round(mrr - previous_mrr, 2) ELSE 0 END AS new_mrr,
  CASE movement WHEN 'expansion' THEN round(at_previous_rates - previous_mrr, 2) ELSE 0 END AS expansion_mrr,
  CASE movement WHEN 'contraction' THEN round(previous_mrr - at_previous_rates, 2) ELSE 0 END AS contraction_mrr,
  CASE movement WHEN 'churn' THEN round(previous_mrr - mrr, 2) ELSE 0 END AS churned_mrr,
  CASE movement WHEN 'reactivation' THEN round(mrr - previous_mrr, 2) ELSE 0 END AS reactivation_mrr,
  mrr > 0 AS is_active
FROM moved;

-- step: customers
-- CRM accounts (Salesforce, and HubSpot companies not synced to it) grouped into companies by
-- domain; billing customers matched by the account map, then a CRM id in metadata, then domain.
CREATE TABLE accounts AS
WITH a AS (
  SELECT _id AS account_id, 0 AS system_rank, _deleted AS is_deleted,
         CAST(TRY_CAST(nullif(trim(payload->>'$.NumberOfEmployees'), '') AS DOUBLE) AS BIGINT) AS employees,
         clean_domain(payload->>'$.Website') AS domain, iso_ts(payload->>'$.CreatedDate') AS created_at,
         CASE WHEN _deleted AND nullif(trim(payload->>'$.MasterRecordId'), '') IS NOT NULL
              THEN trim(payload->>'$.MasterRecordId') ELSE _id END AS survivor_id
  FROM raw_latest WHERE entity = 'sf_account'
  UNION ALL
  SELECT _id, 1, _deleted, TRY_CAST(nullif(trim(payload->>'$.properties.numberofemployees'), '') AS BIGINT),
         clean_domain(coalesce(nullif(trim(payload->>'$.properties.domain'), ''), payload->>'$.properties.website')),
         coalesce(iso_ts(payload->>'$.createdAt'), iso_ts(payload->>'$.properties.createdate')), _id
  FROM raw_latest WHERE entity = 'hs_companies' AND nullif(trim(payload->>'$.properties.salesforceaccountid'), '') IS NULL
), cleaned AS (
  SELECT * REPLACE (CASE WHEN free_domain(domain) THEN NULL ELSE domain END AS domain) FROM a
), companies AS (
  SELECT account_id, first_value(account_id) OVER (PARTITION BY coalesce(domain, account_id)
    ORDER BY system_rank, created_at NULLS LAST, account_id) AS company_id
  FROM cleaned WHERE NOT is_deleted
)
SELECT a.*, c.company_id FROM cleaned a LEFT JOIN companies c ON c.account_id = a.survivor_id;

CREATE TABLE customers AS
WITH billing AS (
  SELECT _id AS customer_id, iso_ts(NULL) AS unused, epoch_ts(payload->>'$.created') AS created_at,
    nullif(lower(trim(split_part(payload->>'$.email', '@', 2))), '') AS email_domain,
    coalesce(nullif(trim(payload->>'$.metadata.salesforce_account_id'), ''), nullif(trim(payload->>'$.metadata.crm_account_id'), ''),
             nullif(trim(payload->>'$.metadata.hubspot_company_id'), '')) AS crm_id
  FROM raw_latest WHERE entity = 'stripe_customers'
), candidates AS (
  SELECT payload->>'$.billing_customer_id' AS customer_id, coalesce(a.company_id, payload->>'$.crm_account_id') AS company_id, 1 AS priority
  FROM raw_latest m LEFT JOIN accounts a ON a.account_id = m.payload->>'$.crm_account_id'
  WHERE m.entity = 'account_map' AND NOT m._deleted
  UNION ALL
  SELECT b.customer_id, a.company_id, 2 FROM billing b JOIN accounts a ON a.account_id = b.crm_id WHERE a.company_id IS NOT NULL
  UNION ALL
  SELECT b.customer_id, a.company_id, 3 FROM billing b JOIN accounts a
    ON a.domain = CASE WHEN free_domain(b.email_domain) THEN NULL ELSE b.email_domain END
  WHERE NOT a.is_deleted AND a.company_id IS NOT NULL
), matched AS (
  SELECT c.customer_id, c.company_id FROM candidates c LEFT JOIN accounts co ON co.account_id = c.company_id
  QUALIFY row_number() OVER (PARTITION BY c.customer_id ORDER BY c.priority, co.created_at NULLS LAST, c.company_id) = 1
)
SELECT b.customer_id, m.company_id, b.created_at, a.employees FROM billing b
LEFT JOIN matched m USING (customer_id) LEFT JOIN accounts a ON a.account_id = m.company_id
UNION ALL
SELECT 'crm:' || a.account_id, a.account_id, a.created_at, a.employees FROM accounts a
WHERE a.company_id = a.account_id AND NOT a.is_deleted AND a.account_id NOT IN (SELECT company_id FROM matched WHERE company_id IS NOT NULL);

ALTER TABLE customers ADD COLUMN segment VARCHAR;
UPDATE customers SET segment = CASE WHEN employees IS NULL THEN 'unknown' WHEN employees >= 1000 THEN 'enterprise'
  WHEN employees >= 100 THEN 'mid_market' ELSE 'smb' END;

-- Each CRM account's governed customer: the company's first billing customer, else the company itself.
CREATE TABLE account_customers AS
SELECT a.account_id, coalesce(
  (SELECT c.customer_id FROM customers c WHERE c.company_id = a.company_id AND c.customer_id NOT LIKE 'crm:%'
   ORDER BY c.created_at NULLS LAST, c.customer_id LIMIT 1),
  'crm:' || a.company_id) AS customer_id
FROM accounts a;

-- step: opportunities
-- Salesforce opportunities as they are now, in USD at the close date's rate (the demo's HubSpot
-- deals mirror them).
CREATE TABLE opportunities AS
WITH o AS (
  SELECT _id AS opportunity_id, nullif(trim(payload->>'$.AccountId'), '') AS account_id,
    CAST(iso_ts(payload->>'$.CloseDate') AS DATE) AS close_date,
    coalesce(TRY_CAST(nullif(trim(payload->>'$.IsClosed'), '') AS BOOLEAN), false) AS is_closed,
    coalesce(TRY_CAST(nullif(trim(payload->>'$.IsWon'), '') AS BOOLEAN), false) AS is_won,
    coalesce(upper(nullif(trim(payload->>'$.CurrencyIsoCode'), '')), 'USD') AS currency,
    TRY_CAST(nullif(trim(payload->>'$.Amount'), '') AS DOUBLE) AS amount_native
  FROM raw_latest WHERE entity = 'sf_opportunity' AND NOT _deleted
)
SELECT o.opportunity_id, ac.customer_id, o.close_date, o.is_closed, o.is_won,
  CASE WHEN o.currency = 'USD' THEN o.amount_native ELSE o.amount_native * coalesce(fx.rate, ff.rate) END AS amount
FROM o LEFT JOIN account_customers ac ON ac.account_id = o.account_id
ASOF LEFT JOIN fx ON fx.currency = o.currency AND o.close_date >= fx.rate_date
LEFT JOIN fx_first ff ON ff.currency = o.currency;

-- step: lifecycle
-- Each person's first entry into lead, MQL and SQL: HubSpot contacts (legacy or v2 stage dates,
-- whichever is earlier), and Salesforce leads that no HubSpot contact mirrors.
CREATE TABLE lifecycle AS
WITH hs AS (
  SELECT _id AS person_id, lower(nullif(trim(payload->>'$.properties.email'), '')) AS email,
    nullif(trim(payload->>'$.properties.salesforceleadid'), '') AS lead_id,
    least(iso_ts(payload->>'$.properties.hs_lifecyclestage_lead_date'), iso_ts(payload->>'$.properties.hs_v2_date_entered_lead')) AS lead_at,
    least(iso_ts(payload->>'$.properties.hs_lifecyclestage_marketingqualifiedlead_date'), iso_ts(payload->>'$.properties.hs_v2_date_entered_marketingqualifiedlead')) AS mql_at,
    least(iso_ts(payload->>'$.properties.hs_lifecyclestage_salesqualifiedlead_date'), iso_ts(payload->>'$.properties.hs_v2_date_entered_salesqualifiedlead')) AS sql_at
  FROM raw_latest WHERE entity = 'hs_contacts' AND NOT _deleted
), sf AS (
  SELECT l._id AS person_id, iso_ts(l.payload->>'$.CreatedDate') AS lead_at,
    CASE WHEN TRY_CAST(l.payload->>'$.IsConverted' AS BOOLEAN) THEN coalesce(
      (SELECT iso_ts(o.payload->>'$.CreatedDate') FROM raw_latest o WHERE o.entity = 'sf_opportunity' AND NOT o._deleted
        AND o._id = nullif(trim(l.payload->>'$.ConvertedOpportunityId'), '')),
      CAST(TRY_CAST(nullif(trim(l.payload->>'$.ConvertedDate'), '') AS DATE) AS TIMESTAMP)) END AS sql_at
  FROM raw_latest l WHERE l.entity = 'sf_lead' AND NOT l._deleted
    AND l._id NOT IN (SELECT lead_id FROM hs WHERE lead_id IS NOT NULL)
    AND coalesce(lower(nullif(trim(l.payload->>'$.Email'), '')), '') NOT IN (SELECT email FROM hs WHERE email IS NOT NULL)
)
SELECT person_id, 'lead' AS stage, lead_at AS entered_at FROM hs WHERE lead_at IS NOT NULL
UNION ALL SELECT person_id, 'mql', mql_at FROM hs WHERE mql_at IS NOT NULL
UNION ALL SELECT person_id, 'sql', sql_at FROM hs WHERE sql_at IS NOT NULL
UNION ALL SELECT person_id, 'lead', lead_at FROM sf WHERE lead_at IS NOT NULL
UNION ALL SELECT person_id, 'sql', sql_at FROM sf WHERE sql_at IS NOT NULL;

-- step: ad spend
-- Daily spend per platform and campaign in USD; the plain file only where no platform report has the day.
CREATE TABLE ad_spend AS
WITH reports AS (
  SELECT CAST(payload->>'$."segments.date"' AS DATE) AS spend_date, 'google_ads' AS platform,
    payload->>'$."campaign.id"' AS campaign_id, upper(payload->>'$."customer.currency_code"') AS currency,
    CAST(payload->>'$."metrics.cost_micros"' AS DOUBLE) / 1e6 AS spend_native
  FROM raw_latest WHERE entity = 'ads_google'
  UNION ALL
  SELECT CAST(payload->>'$.date_start' AS DATE), 'meta_ads', payload->>'$.campaign_id', upper(payload->>'$.account_currency'),
    CAST(payload->>'$.spend' AS DOUBLE) FROM raw_latest WHERE entity = 'ads_meta'
  UNION ALL
  SELECT CAST(payload->>'$.start_date' AS DATE), 'linkedin_ads', payload->>'$.campaign_group_id', upper(payload->>'$.currency'),
    CAST(payload->>'$.cost_in_local_currency' AS DOUBLE) FROM raw_latest WHERE entity = 'ads_linkedin'
), plain AS (
  SELECT CAST(payload->>'$.date' AS DATE) AS spend_date,
    CASE WHEN lower(trim(payload->>'$.channel')) IN ('google', 'google_ads', 'google ads', 'adwords') THEN 'google_ads'
      WHEN lower(trim(payload->>'$.channel')) IN ('meta', 'meta_ads', 'meta ads', 'facebook', 'facebook_ads', 'facebook ads', 'instagram') THEN 'meta_ads'
      WHEN lower(trim(payload->>'$.channel')) IN ('linkedin', 'linkedin_ads', 'linkedin ads') THEN 'linkedin_ads' ELSE 'other' END AS platform,
    payload->>'$.campaign_id' AS campaign_id, upper(payload->>'$.currency') AS currency,
    CAST(payload->>'$.spend' AS DOUBLE) AS spend_native
  FROM raw_latest WHERE entity = 'ads_plain'
), all_rows AS (
  SELECT * FROM reports
  UNION ALL
  SELECT * FROM plain p
  WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.platform = p.platform AND r.campaign_id = p.campaign_id AND r.spend_date = p.spend_date)
)
SELECT a.spend_date, a.platform, a.campaign_id, a.currency, sum(a.spend_native) AS spend_native,
  sum(CASE WHEN a.currency = 'USD' THEN a.spend_native ELSE a.spend_native * coalesce(fx.rate, ff.rate) END) AS spend
FROM all_rows a
ASOF LEFT JOIN fx ON fx.currency = a.currency AND a.spend_date >= fx.rate_date
LEFT JOIN fx_first ff ON ff.currency = a.currency
GROUP BY ALL;
