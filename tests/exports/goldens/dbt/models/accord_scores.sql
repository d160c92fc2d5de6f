{{ config(materialized='table') }}
-- Accord scoring query for Northwind Cloud, as of the time it runs; see docs/evaluation.md
WITH
derived AS (
  SELECT *,
    coalesce(regexp_matches("job_title", '(?i)\b(student|intern|internship|trainee|phd candidate)\b'), FALSE) AS "value:1",
    lower("website") AS "value:2",
    nullif(regexp_extract(regexp_replace(lower("email"), '(?s)^(?:.*@|[a-z][a-z0-9+.\-]*://)?(?:www\.)?', ''), '^[^/?#:]*'), '') AS "value:3"
  FROM {{ ref('accord_leads') }}
),
fields_conditions_1 AS (
  SELECT *,
    -- rules/qualification.yaml:63 stage lead
    TRUE AS "stage:lead",
    -- glossary/segments.yaml:188 term existing_customer
    coalesce("is_customer" = TRUE, FALSE) AS "term:existing_customer",
    -- rules/qualification.yaml:32 disqualifier competitor
    (coalesce("is_competitor" = TRUE, FALSE) OR coalesce("value:3" IN ('fivetran.com', 'airbyte.io', 'matillion.com', 'hevodata.com', 'stitchdata.com', 'talend.com'), FALSE)) AS "disqualifier:competitor",
    -- rules/qualification.yaml:39 disqualifier student
    ("value:1" OR coalesce(regexp_matches("email", '(?i)[.](edu|edu[.][a-z]{2}|ac[.][a-z]{2})$'), FALSE)) AS "disqualifier:student",
    -- glossary/segments.yaml:163 term role_email
    coalesce(regexp_matches("email", '(?i)^(info|sales|admin|support|contact|hello|office|marketing|billing|noreply|no-reply)@'), FALSE) AS "term:role_email",
    -- rules/qualification.yaml:51 disqualifier embargoed_country
    coalesce("country" IN ('RU', 'BY', 'IR', 'KP', 'CU', 'SY'), FALSE) AS "disqualifier:embargoed_country",
    -- glossary/lifecycle.yaml:143 term hand_raiser
    (coalesce("demo_requested" = TRUE, FALSE) OR coalesce("trial_started" = TRUE, FALSE)) AS "term:hand_raiser",
    -- glossary/segments.yaml:24 term enterprise
    coalesce("employees" >= 1000, FALSE) AS "term:enterprise",
    -- glossary/segments.yaml:45 term mid_market
    (coalesce(200 <= "employees", FALSE) AND coalesce("employees" < 1000, FALSE)) AS "term:mid_market",
    -- glossary/segments.yaml:57 term smb
    coalesce("employees" < 200, FALSE) AS "term:smb",
    -- glossary/segments.yaml:73 term icp
    (coalesce("employees" >= 200, FALSE) AND coalesce("industry" IN ('Technology', 'Banking', 'Finance', 'Insurance', 'Healthcare', 'Biotechnology', 'Retail', 'Media', 'Telecommunications'), FALSE) AND coalesce("region" IN ('AMER', 'EMEA', 'APAC'), FALSE)) AS "term:icp",
    -- glossary/segments.yaml:89 term regulated_industry
    coalesce("industry" IN ('Banking', 'Finance', 'Insurance', 'Healthcare', 'Biotechnology'), FALSE) AS "term:regulated_industry",
    -- glossary/segments.yaml:107 term cloud_warehouse
    coalesce("data_warehouse" IN ('Snowflake', 'BigQuery', 'Databricks', 'Redshift', 'Synapse'), FALSE) AS "term:cloud_warehouse",
    -- glossary/segments.yaml:120 term decision_maker
    (coalesce("seniority" IN ('C-Level', 'VP', 'Director'), FALSE) OR coalesce(regexp_matches("job_title", '(?i)\b(chief|cto|cio|cdo|vp|svp|vice president|director|head of)\b'), FALSE)) AS "term:decision_maker",
    -- glossary/segments.yaml:140 term personal_email
    coalesce("value:3" IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'qq.com', '163.com', 'mail.ru', 'yandex.ru'), FALSE) AS "term:personal_email",
    -- glossary/segments.yaml:176 term named_account
    (NOT ("account_owner" IS NULL)) AS "term:named_account"
  FROM derived
),
fields_conditions_2 AS (
  SELECT *,
    -- rules/qualification.yaml:46 disqualifier unusable_email
    (("term:role_email") OR ((NOT ("email" IS NULL)) AND (NOT coalesce(regexp_matches("email", '^[^@ ]+@[^@ ]+[.][A-Za-z]{2,}$'), FALSE)))) AS "disqualifier:unusable_email",
    -- glossary/segments.yaml:198 term new_logo
    (("account_owner" IS NULL) AND (NOT ("term:existing_customer"))) AS "term:new_logo"
  FROM fields_conditions_1
),
fired AS (
  SELECT *,
    -- rules/scoring.yaml:28 fit.enterprise_size (+15)
    ("term:enterprise") AS "rule:enterprise_size",
    -- rules/scoring.yaml:32 fit.mid_market_size (+10)
    ("term:mid_market") AS "rule:mid_market_size",
    -- rules/scoring.yaml:36 fit.small_business_size (+3)
    (coalesce(50 <= "employees", FALSE) AND coalesce("employees" < 200, FALSE)) AS "rule:small_business_size",
    -- rules/scoring.yaml:40 fit.tiny_company (-15)
    coalesce("employees" < 50, FALSE) AS "rule:tiny_company",
    -- rules/scoring.yaml:44 fit.unknown_firmographics (-5)
    (("employees" IS NULL) AND ("annual_revenue" IS NULL)) AS "rule:unknown_firmographics",
    -- rules/scoring.yaml:50 fit.revenue_over_100m (+8)
    coalesce("annual_revenue" >= 100000000, FALSE) AS "rule:revenue_over_100m",
    -- rules/scoring.yaml:54 fit.icp_match (+12)
    ("term:icp") AS "rule:icp_match",
    -- rules/scoring.yaml:60 fit.regulated_vertical (+8)
    ("term:regulated_industry") AS "rule:regulated_vertical",
    -- rules/scoring.yaml:64 fit.core_vertical (+5)
    coalesce("industry" IN ('Technology', 'Retail', 'Media', 'Telecommunications'), FALSE) AS "rule:core_vertical",
    -- rules/scoring.yaml:68 fit.low_fit_vertical (-8)
    coalesce("industry" IN ('Education', 'Not For Profit', 'Government'), FALSE) AS "rule:low_fit_vertical",
    -- rules/scoring.yaml:76 fit.cloud_warehouse_user (+8)
    ("term:cloud_warehouse") AS "rule:cloud_warehouse_user",
    -- rules/scoring.yaml:80 fit.legacy_warehouse_migration (+5)
    coalesce("data_warehouse" IN ('Teradata', 'Oracle'), FALSE) AS "rule:legacy_warehouse_migration",
    -- rules/scoring.yaml:86 fit.decision_maker_title (+12)
    ("term:decision_maker") AS "rule:decision_maker_title",
    -- rules/scoring.yaml:90 fit.data_practitioner_title (+6)
    coalesce(regexp_matches("job_title", '(?i)\b(data|analytics|bi|etl|platform|ml) (engineer|architect|lead|manager)\b'), FALSE) AS "rule:data_practitioner_title",
    -- rules/scoring.yaml:94 fit.student_or_intern (-25)
    "value:1" AS "rule:student_or_intern",
    -- rules/scoring.yaml:100 fit.personal_email_domain (-15)
    ("term:personal_email") AS "rule:personal_email_domain",
    -- rules/scoring.yaml:104 fit.role_mailbox (-10)
    ("term:role_email") AS "rule:role_mailbox",
    -- rules/scoring.yaml:108 fit.corporate_domain_match (+4)
    coalesce(contains("value:2", "value:3"), FALSE) AS "rule:corporate_domain_match",
    -- rules/scoring.yaml:112 fit.competitor_company (-30)
    coalesce("is_competitor" = TRUE, FALSE) AS "rule:competitor_company",
    -- rules/scoring.yaml:118 fit.core_country (+3)
    coalesce("country" IN ('US', 'CA', 'GB', 'IE', 'DE', 'NL', 'SE', 'NO', 'DK', 'AU', 'SG'), FALSE) AS "rule:core_country",
    -- rules/scoring.yaml:122 fit.sanctioned_country (-30)
    coalesce("country" IN ('RU', 'BY', 'IR', 'KP', 'CU', 'SY'), FALSE) AS "rule:sanctioned_country",
    -- rules/scoring.yaml:136 engagement.demo_request (+25)
    coalesce("demo_requested" = TRUE, FALSE) AS "rule:demo_request",
    -- rules/scoring.yaml:140 engagement.trial_signup (+20)
    coalesce("trial_started" = TRUE, FALSE) AS "rule:trial_signup",
    -- rules/scoring.yaml:146 engagement.pricing_page_repeat (+15)
    coalesce("pricing_page_visits" >= 3, FALSE) AS "rule:pricing_page_repeat",
    -- rules/scoring.yaml:150 engagement.pricing_page_visit (+6)
    (coalesce(1 <= "pricing_page_visits", FALSE) AND coalesce("pricing_page_visits" < 3, FALSE)) AS "rule:pricing_page_visit",
    -- rules/scoring.yaml:154 engagement.webinar_attendee (+8)
    coalesce("webinars_attended" >= 1, FALSE) AS "rule:webinar_attendee",
    -- rules/scoring.yaml:158 engagement.webinar_regular (+4)
    coalesce("webinars_attended" >= 3, FALSE) AS "rule:webinar_regular",
    -- rules/scoring.yaml:162 engagement.email_engaged (+5)
    coalesce("email_clicks" >= 3, FALSE) AS "rule:email_engaged",
    -- rules/scoring.yaml:166 engagement.content_downloads_multi (+6)
    coalesce("content_downloads" >= 2, FALSE) AS "rule:content_downloads_multi",
    -- rules/scoring.yaml:170 engagement.content_download_single (+2)
    coalesce("content_downloads" = 1, FALSE) AS "rule:content_download_single",
    -- rules/scoring.yaml:176 engagement.partner_referral (+10)
    coalesce("lead_source" = 'Partner Referral', FALSE) AS "rule:partner_referral",
    -- rules/scoring.yaml:180 engagement.low_intent_source (-10)
    coalesce("lead_source" IN ('Purchased List', 'Content Syndication'), FALSE) AS "rule:low_intent_source",
    -- rules/scoring.yaml:184 engagement.active_this_week (+5)
    coalesce(((epoch_us(({{ accord_as_of() }})) - epoch_us("last_activity_at")) / 86400000000.0e0) <= 7, FALSE) AS "rule:active_this_week",
    -- rules/scoring.yaml:188 engagement.unsubscribed_from_email (-15)
    coalesce("unsubscribed" = TRUE, FALSE) AS "rule:unsubscribed_from_email",
    -- rules/scoring.yaml:192 engagement.no_engagement_recorded (-5)
    (NOT (coalesce("pricing_page_visits" >= 1, FALSE) OR coalesce("webinars_attended" >= 1, FALSE) OR coalesce("email_clicks" >= 1, FALSE) OR coalesce("content_downloads" >= 1, FALSE) OR coalesce("demo_requested" = TRUE, FALSE) OR coalesce("trial_started" = TRUE, FALSE))) AS "rule:no_engagement_recorded"
  FROM fields_conditions_2
),
points AS (
  SELECT *,
    (CASE WHEN "rule:enterprise_size" THEN 15 ELSE 0 END + CASE WHEN "rule:mid_market_size" THEN 10 ELSE 0 END + CASE WHEN "rule:small_business_size" THEN 3 ELSE 0 END + CASE WHEN "rule:tiny_company" THEN -15 ELSE 0 END + CASE WHEN "rule:unknown_firmographics" THEN -5 ELSE 0 END + CASE WHEN "rule:revenue_over_100m" THEN 8 ELSE 0 END + CASE WHEN "rule:icp_match" THEN 12 ELSE 0 END + CASE WHEN "rule:regulated_vertical" THEN 8 ELSE 0 END + CASE WHEN "rule:core_vertical" THEN 5 ELSE 0 END + CASE WHEN "rule:low_fit_vertical" THEN -8 ELSE 0 END + CASE WHEN "rule:cloud_warehouse_user" THEN 8 ELSE 0 END + CASE WHEN "rule:legacy_warehouse_migration" THEN 5 ELSE 0 END + CASE WHEN "rule:decision_maker_title" THEN 12 ELSE 0 END + CASE WHEN "rule:data_practitioner_title" THEN 6 ELSE 0 END + CASE WHEN "rule:student_or_intern" THEN -25 ELSE 0 END + CASE WHEN "rule:personal_email_domain" THEN -15 ELSE 0 END + CASE WHEN "rule:role_mailbox" THEN -10 ELSE 0 END + CASE WHEN "rule:corporate_domain_match" THEN 4 ELSE 0 END + CASE WHEN "rule:competitor_company" THEN -30 ELSE 0 END + CASE WHEN "rule:core_country" THEN 3 ELSE 0 END + CASE WHEN "rule:sanctioned_country" THEN -30 ELSE 0 END) AS "points:fit",
    (CASE WHEN "rule:demo_request" THEN 25 ELSE 0 END + CASE WHEN "rule:trial_signup" THEN 20 ELSE 0 END + CASE WHEN "rule:pricing_page_repeat" THEN 15 ELSE 0 END + CASE WHEN "rule:pricing_page_visit" THEN 6 ELSE 0 END + CASE WHEN "rule:webinar_attendee" THEN 8 ELSE 0 END + CASE WHEN "rule:webinar_regular" THEN 4 ELSE 0 END + CASE WHEN "rule:email_engaged" THEN 5 ELSE 0 END + CASE WHEN "rule:content_downloads_multi" THEN 6 ELSE 0 END + CASE WHEN "rule:content_download_single" THEN 2 ELSE 0 END + CASE WHEN "rule:partner_referral" THEN 10 ELSE 0 END + CASE WHEN "rule:low_intent_source" THEN -10 ELSE 0 END + CASE WHEN "rule:active_this_week" THEN 5 ELSE 0 END + CASE WHEN "rule:unsubscribed_from_email" THEN -15 ELSE 0 END + CASE WHEN "rule:no_engagement_recorded" THEN -5 ELSE 0 END) AS "points:engagement"
  FROM fired
),
groups AS (
  SELECT *,
    -- rules/scoring.yaml:19 group fit
    least(greatest(CAST("points:fit" AS DOUBLE), (-40.0e0)), 60.0e0) AS "fit",
    -- rules/scoring.yaml:127 group engagement
    least(greatest(CAST("points:engagement" AS DOUBLE) * (CASE WHEN "last_activity_at" IS NULL THEN 0.0e0 WHEN (epoch_us(({{ accord_as_of() }})) - epoch_us(CAST("last_activity_at" AS TIMESTAMP))) <= 0 THEN 1.0e0 ELSE pow(0.5e0, ((epoch_us(({{ accord_as_of() }})) - epoch_us(CAST("last_activity_at" AS TIMESTAMP))) / 86400000000.0e0) / 30.0e0) END), (-20.0e0)), 50.0e0) AS "engagement"
  FROM points
),
scored AS (
  SELECT *,
    least(greatest("fit" + "engagement", 0.0e0), 100.0e0) AS score
  FROM groups
),
score_conditions_1 AS (
  SELECT *,
    -- rules/qualification.yaml:71 stage mql
    (coalesce("score" >= 50, FALSE) AND coalesce("fit" >= 25, FALSE) AND coalesce("engagement" >= 10, FALSE) AND (NOT ("term:existing_customer"))) AS "stage:mql"
  FROM scored
),
score_conditions_2 AS (
  SELECT *,
    -- rules/qualification.yaml:74 stage sal
    (("stage:mql") AND (NOT ("accepted_at" IS NULL))) AS "stage:sal"
  FROM score_conditions_1
),
score_conditions_3 AS (
  SELECT *,
    -- rules/qualification.yaml:77 stage sql
    (("stage:sal") AND (NOT ("sql_at" IS NULL))) AS "stage:sql"
  FROM score_conditions_2
),
graded AS (
  SELECT *,
    CASE
      -- rules/qualification.yaml:15
      WHEN coalesce("fit" >= 45, FALSE) THEN 'A'
      -- rules/qualification.yaml:18
      WHEN coalesce("fit" >= 30, FALSE) THEN 'B'
      -- rules/qualification.yaml:21
      WHEN coalesce("fit" >= 15, FALSE) THEN 'C'
      -- rules/qualification.yaml:24
      WHEN TRUE THEN 'D'
    END AS grade
  FROM score_conditions_3
),
disqualified AS (
  SELECT *,
    CASE
      WHEN "disqualifier:competitor" THEN 'competitor'
      WHEN "disqualifier:student" THEN 'student'
      WHEN "disqualifier:unusable_email" THEN 'unusable_email'
      WHEN "disqualifier:embargoed_country" THEN 'embargoed_country'
    END AS "$disqualified_by"
  FROM graded
),
staged AS (
  SELECT *,
    CASE
      WHEN "$disqualified_by" IS NOT NULL THEN 'disqualified'
      WHEN "stage:sql" THEN 'sql'
      WHEN "stage:sal" THEN 'sal'
      WHEN "stage:mql" THEN 'mql'
      WHEN "stage:lead" THEN 'lead'
    END AS stage
  FROM disqualified
),
routed AS (
  SELECT *,
    CASE
      -- rules/routing.yaml:113 route disqualified_leads
      WHEN coalesce("stage" = 'disqualified', FALSE) THEN 'disqualified_leads'
      -- rules/routing.yaml:117 route named_accounts
      WHEN (("term:named_account") AND "account_owner" IS NOT NULL) THEN 'named_accounts'
      -- rules/routing.yaml:121 route existing_customers
      WHEN ("term:existing_customer") THEN 'existing_customers'
      -- rules/routing.yaml:125 route partner_referrals
      WHEN coalesce("lead_source" = 'Partner Referral', FALSE) THEN 'partner_referrals'
      -- rules/routing.yaml:129 route amer_public_sector
      WHEN (coalesce("region" = 'AMER', FALSE) AND coalesce("industry" = 'Government', FALSE)) THEN 'amer_public_sector'
      -- rules/routing.yaml:133 route regulated_industries
      WHEN (("term:regulated_industry") AND coalesce("region" IN ('AMER', 'EMEA'), FALSE) AND coalesce("employees" >= 500, FALSE)) THEN 'regulated_industries'
      -- rules/routing.yaml:139 route amer_enterprise
      WHEN (coalesce("region" = 'AMER', FALSE) AND ("term:enterprise")) THEN 'amer_enterprise'
      -- rules/routing.yaml:142 route amer_mid_market
      WHEN (coalesce("region" = 'AMER', FALSE) AND ("term:mid_market")) THEN 'amer_mid_market'
      -- rules/routing.yaml:145 route emea_enterprise
      WHEN (coalesce("region" = 'EMEA', FALSE) AND ("term:enterprise")) THEN 'emea_enterprise'
      -- rules/routing.yaml:148 route emea_mid_market
      WHEN (coalesce("region" = 'EMEA', FALSE) AND ("term:mid_market")) THEN 'emea_mid_market'
      -- rules/routing.yaml:151 route apac_mid_market_and_up
      WHEN (coalesce("region" = 'APAC', FALSE) AND coalesce("employees" >= 200, FALSE)) THEN 'apac_mid_market_and_up'
      -- rules/routing.yaml:154 route apac_hand_raisers
      WHEN (coalesce("region" = 'APAC', FALSE) AND ("term:hand_raiser")) THEN 'apac_hand_raisers'
      -- rules/routing.yaml:160 route smb_hand_raisers
      WHEN (("term:smb") AND ("term:hand_raiser")) THEN 'smb_hand_raisers'
      -- rules/routing.yaml:164 route smb_nurture
      WHEN (("term:smb") AND (NOT ("term:hand_raiser"))) THEN 'smb_nurture'
      -- rules/routing.yaml:170 route unassigned
      WHEN TRUE THEN 'unassigned'
    END AS "$route"
  FROM staged
),
assigned AS (
  SELECT *,
    CASE
      WHEN "$route" = 'disqualified_leads' THEN 'queue:marketing-nurture'
      WHEN "$route" = 'named_accounts' THEN 'user:' || "account_owner"
      WHEN "$route" = 'existing_customers' THEN 'queue:customer-expansion'
      WHEN "$route" = 'partner_referrals' THEN 'queue:partner-leads'
      WHEN "$route" = 'amer_public_sector' THEN 'user:marcus.reed'
      WHEN "$route" = 'regulated_industries' THEN 'team:regulated-industries'
      WHEN "$route" = 'amer_enterprise' THEN 'team:amer-enterprise'
      WHEN "$route" = 'amer_mid_market' THEN 'team:amer-mid-market'
      WHEN "$route" = 'emea_enterprise' THEN 'team:emea-enterprise'
      WHEN "$route" = 'emea_mid_market' THEN 'team:emea-mid-market'
      WHEN "$route" = 'apac_mid_market_and_up' THEN 'team:apac'
      WHEN "$route" = 'apac_hand_raisers' THEN 'team:apac'
      WHEN "$route" = 'smb_hand_raisers' THEN 'team:inside-sales'
      WHEN "$route" = 'smb_nurture' THEN 'queue:marketing-nurture'
      WHEN "$route" = 'unassigned' THEN 'queue:unassigned-leads'
    END AS "$assignee"
  FROM routed
),
decided AS MATERIALIZED (
  SELECT "account_owner", "created_at", "lead_id", __row, score, "fit", "engagement", grade, stage, "$disqualified_by", "$route", "$assignee"
  FROM assigned
),
team_order AS (
  SELECT __row AS "$seq_row", row_number() OVER (PARTITION BY (CASE "$assignee" WHEN 'team:amer-enterprise' THEN 10000000 WHEN 'team:amer-mid-market' THEN 20000000 WHEN 'team:emea-enterprise' THEN 30000000 WHEN 'team:emea-mid-market' THEN 40000000 WHEN 'team:apac' THEN 50000000 WHEN 'team:regulated-industries' THEN 60000000 WHEN 'team:inside-sales' THEN 70000000 END) + (CASE "$assignee" WHEN 'team:amer-mid-market' THEN (epoch_us("created_at") + 604799654400000000) // 604800000000 WHEN 'team:apac' THEN (epoch_us("created_at") + 604799654400000000) // 604800000000 ELSE 0 END) ORDER BY "created_at", "lead_id", __row) - 1 AS "$k"
  FROM decided WHERE "$assignee" IN ('team:amer-enterprise', 'team:amer-mid-market', 'team:emea-enterprise', 'team:emea-mid-market', 'team:apac', 'team:regulated-industries', 'team:inside-sales') AND "created_at" IS NOT NULL
),
sequenced AS (
  SELECT decided.*, team_order."$k"
  FROM decided LEFT JOIN team_order ON team_order."$seq_row" = decided.__row
),
replayed AS (
  SELECT *,
    CASE
      WHEN "$route" = 'named_accounts' THEN "account_owner"
      WHEN "$route" = 'amer_public_sector' THEN 'marcus.reed'
      WHEN "$assignee" = 'team:amer-enterprise' AND "created_at" IS NOT NULL THEN ['ana.silva', 'marcus.reed', 'priya.nair', 'tom.becker'][(("$k") - 0) % 4 + 1]
      WHEN "$assignee" = 'team:amer-mid-market' AND "created_at" IS NOT NULL THEN CASE WHEN "$k" < 110 THEN ['jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'luis.ortega', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen', 'jordan.hayes', 'kim.nguyen']["$k" + 1] ELSE ['jordan.hayes', 'kim.nguyen', 'luis.ortega'][(("$k") - 110) % 3 + 1] END
      WHEN "$assignee" = 'team:emea-enterprise' AND "created_at" IS NOT NULL THEN ['lena.fischer', 'oliver.grant', 'sofia.rossi', 'lena.fischer'][(("$k") - 0) % 4 + 1]
      WHEN "$assignee" = 'team:emea-mid-market' AND "created_at" IS NOT NULL THEN ['jan.devries', 'emma.clarke', 'pierre.laurent'][(("$k") - 0) % 3 + 1]
      WHEN "$assignee" = 'team:apac' AND "created_at" IS NOT NULL THEN CASE WHEN "$k" < 60 THEN ['wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'aarav.shah', 'wei.tan', 'hannah.lee', 'wei.tan', 'hannah.lee', 'wei.tan', 'hannah.lee', 'wei.tan', 'hannah.lee', 'wei.tan', 'hannah.lee', 'wei.tan', 'wei.tan', 'wei.tan', 'wei.tan', 'wei.tan']["$k" + 1] ELSE ['wei.tan', 'hannah.lee', 'aarav.shah'][(("$k") - 60) % 3 + 1] END
      WHEN "$assignee" = 'team:regulated-industries' AND "created_at" IS NOT NULL THEN ['rachel.kim', 'david.cohen', 'rachel.kim', 'david.cohen', 'rachel.kim'][(("$k") - 0) % 5 + 1]
      WHEN "$assignee" = 'team:inside-sales' AND "created_at" IS NOT NULL THEN ['nina.patel', 'sam.okafor', 'chloe.martin', 'ben.walsh'][(("$k") - 0) % 4 + 1]
    END AS "$owner"
  FROM sequenced
)
SELECT
  "lead_id",
  score,
  "fit",
  "engagement",
  grade,
  stage,
  "$disqualified_by" AS disqualified_by,
  "$route" AS route,
  "$assignee" AS assignee,
  "$owner" AS owner
FROM replayed
ORDER BY __row
