-- Synthetic Northwind lead history; run by bench/generate_leads.py, which documents the model.
-- Sections are split on their `-- name:` headers. `$name` values are bound parameters:
-- the seed, count and window, and the world's tables (see model_params in the module).

-- name: macros
-- A uniform draw in (0, 1): the top 53 bits of a hash of the key and the draw's name.
-- Not hash(key, draw): DuckDB combines the hashes of several arguments linearly (XOR), so
-- two draws of one key would be tied to each other. Hashing the XOR mixes them apart.
CREATE OR REPLACE TEMP MACRO synth_u(key, draw) AS
    ((hash(xor(key, hash(draw))) >> 11)::DOUBLE + 0.5) / 9007199254740992.0;
-- A standard normal draw (Box-Muller).
CREATE OR REPLACE TEMP MACRO synth_normal(key, draw) AS
    sqrt(-2 * ln(synth_u(key, draw || '/r'))) * cos(2 * pi() * synth_u(key, draw || '/a'));
CREATE OR REPLACE TEMP MACRO synth_sigmoid(x) AS 1 / (1 + exp(-(x)));
-- A weighted draw from block `block` of `blocks` equal blocks of slots (see _slots).
CREATE OR REPLACE TEMP MACRO synth_pick(slots, blocks, block, u) AS
    slots[(block - 1) * (len(slots) // blocks) + 1 + floor(u * (len(slots) // blocks))::BIGINT];
-- A uniform draw from a list.
CREATE OR REPLACE TEMP MACRO synth_any(options, u) AS
    options[1 + floor(u * len(options))::BIGINT];
-- A zero-heavy count with the given mean (a floored exponential).
CREATE OR REPLACE TEMP MACRO synth_count(key, draw, mean) AS
    least(99, floor(-ln(synth_u(key, draw)) * (mean)))::BIGINT;
-- A log-normal duration with the given median, as an interval rounded to the second.
CREATE OR REPLACE TEMP MACRO synth_minutes(key, draw, median, sigma) AS
    to_seconds(round(60 * (median) * exp((sigma) * synth_normal(key, draw)))::BIGINT);
-- Local wall-clock time in a time zone, and back to naive UTC.
CREATE OR REPLACE TEMP MACRO synth_local(utc, tz) AS timezone(tz, timezone('UTC', utc));
CREATE OR REPLACE TEMP MACRO synth_utc(local_time, tz) AS timezone('UTC', timezone(tz, local_time));
-- Business-day arithmetic on a Monday-Friday week: weekdays numbered consecutively from
-- Monday 1970-01-05, so adding n business days is adding n. Public holidays and lunch
-- breaks are ignored: reps only roughly keep their hub's hours.
CREATE OR REPLACE TEMP MACRO synth_bday(d) AS
    ((d - DATE '1970-01-05') // 7) * 5 + least((d - DATE '1970-01-05') % 7, 4);
CREATE OR REPLACE TEMP MACRO synth_bday_date(b) AS
    DATE '1970-01-05' + ((b // 5) * 7 + b % 5)::INTEGER;
CREATE OR REPLACE TEMP MACRO synth_minute_of_day(t) AS
    hour(t) * 60 + minute(t) + second(t) / 60.0;
CREATE OR REPLACE TEMP MACRO synth_open_now(t, closes) AS
    isodow(t) <= 5 AND synth_minute_of_day(t) < closes;
-- The business day the clock starts on, and the business minutes already gone in it.
CREATE OR REPLACE TEMP MACRO synth_clock_day(t, closes) AS
    CASE
        WHEN synth_open_now(t, closes) THEN synth_bday(t::DATE)
        WHEN isodow(t) <= 5 THEN synth_bday(t::DATE) + 1
        ELSE synth_bday(t::DATE + (8 - isodow(t))::INTEGER)
    END;
CREATE OR REPLACE TEMP MACRO synth_clock_minutes(t, opens, closes) AS
    CASE WHEN synth_open_now(t, closes) THEN greatest(synth_minute_of_day(t) - opens, 0) ELSE 0 END;
-- The local time `total` working minutes into business day `day` (days roll over).
CREATE OR REPLACE TEMP MACRO synth_business_at(day, total, opens, day_minutes) AS
    synth_bday_date(day + floor(total / day_minutes)::BIGINT)::TIMESTAMP
    + to_seconds(round(60 * (opens + total - floor(total / day_minutes) * day_minutes))::BIGINT);
-- The local time `minutes` business minutes after local time t, on hours opens-closes.
CREATE OR REPLACE TEMP MACRO synth_business_add(t, minutes, opens, closes) AS
    synth_business_at(
        synth_clock_day(t, closes), synth_clock_minutes(t, opens, closes) + minutes,
        opens, closes - opens);
-- How many leads arrive in an hour from one region, relative to the others.
CREATE OR REPLACE TEMP MACRO synth_arrival_weight(seed, region_no, utc_offset, hour_start, h) AS
    [0.55, 0.33, 0.12][region_no]
    -- the region's working day (local time) ...
    * [0.10, 0.07, 0.05, 0.05, 0.06, 0.10, 0.20, 0.40, 0.75, 1.00, 1.10, 1.10,
       0.95, 1.00, 1.05, 1.00, 0.90, 0.70, 0.50, 0.40, 0.35, 0.30, 0.22, 0.15
      ][hour(hour_start + to_hours(utc_offset)) + 1]
    -- ... and week: Monday to Thursday busiest, weekends a trickle
    * [1.00, 1.06, 1.04, 0.98, 0.80, 0.25, 0.28][isodow(hour_start + to_hours(utc_offset))]
    -- seasonality: dead between Christmas and New Year, quiet summer (Europe most),
    -- busy in budget and conference season
    * CASE
        WHEN (month(hour_start) = 12 AND day(hour_start) >= 20)
            OR (month(hour_start) = 1 AND day(hour_start) <= 2) THEN 0.35
        WHEN month(hour_start) = 8 THEN [0.85, 0.65, 0.95][region_no]
        WHEN month(hour_start) = 7 THEN [0.95, 0.85, 1.00][region_no]
        WHEN month(hour_start) IN (3, 9, 10) THEN 1.08
        ELSE 1.0
      END
    -- growth: lead flow up about 50% a year
    * exp(ln(1.5) * h / 8766.0)
    -- day-to-day noise, and campaign days (launches, big webinars, trade shows) at 2-3x
    * exp(0.2 * synth_normal(hash(seed, region_no, (hour_start + to_hours(utc_offset))::DATE), 'day'))
    * CASE
        WHEN synth_u(hash(seed, region_no, (hour_start + to_hours(utc_offset))::DATE), 'campaign') < 0.04
        THEN 2 + synth_u(hash(seed, region_no, (hour_start + to_hours(utc_offset))::DATE), 'campaign size')
        ELSE 1
      END;
-- A base-62 digit (Salesforce's alphabet: 0-9, A-Z, a-z) of n, and whether it is a capital.
CREATE OR REPLACE TEMP MACRO synth_digit62(n, place) AS (n // place) % 62;
CREATE OR REPLACE TEMP MACRO synth_capital(digit, bit) AS
    (digit BETWEEN 10 AND 35)::INTEGER << bit;
-- A Lead id from the nine base-62 digits of its record number: key prefix 00Q, instance
-- Dp0, the digits, then the three case-safety characters that make a 15-character id 18:
-- per 5-character chunk, a bit for each capital letter, as one of A-Z0-5.
CREATE OR REPLACE TEMP MACRO synth_sfdc_id(d1, d2, d3, d4, d5, d6, d7, d8, d9) AS concat(
    '00QDp0',
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d1::INTEGER, 1),
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d2::INTEGER, 1),
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d3::INTEGER, 1),
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d4::INTEGER, 1),
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d5::INTEGER, 1),
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d6::INTEGER, 1),
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d7::INTEGER, 1),
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d8::INTEGER, 1),
    substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 1 + d9::INTEGER, 1),
    -- '00QDp' has capitals in its third and fourth places: bits 2 and 3, 12, the letter M
    'M',
    substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', 1 + synth_capital(d1, 1) + synth_capital(d2, 2)
           + synth_capital(d3, 3) + synth_capital(d4, 4), 1),
    substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', 1 + synth_capital(d5, 0) + synth_capital(d6, 1)
           + synth_capital(d7, 2) + synth_capital(d8, 3) + synth_capital(d9, 4), 1));

-- name: hours
-- Every hour of the window with its arrival weight per region (UTC offsets are rough and
-- ignore daylight saving), and the range of row numbers that arrive in it. Weights are
-- integers so the running sums are exact and the ranges the same on every run.
CREATE OR REPLACE TEMP TABLE synth_hours AS
WITH hours AS (
    SELECT h, $start::TIMESTAMP + to_hours(h) AS hour_start
    FROM range(date_diff('hour', $start::TIMESTAMP, $end::TIMESTAMP)) AS t(h)
),
weighted AS (
    SELECT
        h,
        hour_start,
        round(1e6 * synth_arrival_weight($seed::BIGINT, 1, -5, hour_start, h))::BIGINT AS amer,
        round(1e6 * synth_arrival_weight($seed::BIGINT, 2, 1, hour_start, h))::BIGINT AS emea,
        round(1e6 * synth_arrival_weight($seed::BIGINT, 3, 8, hour_start, h))::BIGINT AS apac
    FROM hours
),
cumulative AS (
    SELECT
        *,
        amer + emea + apac AS weight,
        sum(amer + emea + apac) OVER (ORDER BY h) AS running,
        sum(amer + emea + apac) OVER () AS total
    FROM weighted
),
ranged AS (
    SELECT *, ($count::HUGEINT * running // total)::BIGINT AS end_row FROM cumulative
)
SELECT h, hour_start, amer, emea, weight,
       coalesce(lag(end_row) OVER (ORDER BY h), 0) AS first_row, end_row
FROM ranged
ORDER BY h;

-- name: arrivals
-- One row per lead, in arrival order: its row number, when it arrived (spread evenly over
-- its hour, to the second) and the region it came from (by that hour's regional weights).
CREATE OR REPLACE TEMP TABLE synth_arrivals AS
WITH leads AS (
    SELECT *, unnest(range(first_row, end_row)) AS i FROM synth_hours
),
drawn AS (
    SELECT
        *,
        synth_u(hash($seed::BIGINT, i), 'arrival') AS u_arrival,
        synth_u(hash($seed::BIGINT, i), 'region') * weight AS region_point
    FROM leads
)
SELECT
    i,
    hour_start
        + to_seconds(floor(3600 * (i - first_row + u_arrival) / (end_row - first_row))::BIGINT)
        AS created_at,
    CASE WHEN region_point < amer THEN 1 WHEN region_point < amer + emea THEN 2 ELSE 3 END
        AS region_no
FROM drawn;

-- name: leads
-- Each CTE uses only the columns of the one before: DuckDB copies an alias's expression
-- wherever a later item of the same SELECT names it, which multiplies hashes quickly.
WITH
keyed AS (
    SELECT i, created_at, region_no, hash($seed::BIGINT, i) AS k FROM synth_arrivals
),
-- The company: from a pool per region (sized with the history), drawn with a long tail
-- so a few companies send dozens of leads and most send one. Record numbers rise with
-- arrival, with gaps where other records took numbers.
pooled AS (
    SELECT
        *,
        greatest(20, ceil($count * [0.55, 0.33, 0.12][region_no] * 0.65)) AS pool,
        synth_u(k, 'company') AS u_company,
        4000000000 + 7 * i + floor(7 * synth_u(k, 'id gap'))::BIGINT AS record_number
    FROM keyed
),
company_keyed AS (
    SELECT
        *,
        floor(pool * pow(u_company, 1.6)) AS company_no,
        hash($seed::BIGINT, 'company', region_no, floor(pool * pow(u_company, 1.6))::BIGINT) AS ck,
        synth_digit62(record_number, 218340105584896) AS d1,
        synth_digit62(record_number, 3521614606208) AS d2,
        synth_digit62(record_number, 56800235584) AS d3,
        synth_digit62(record_number, 916132832) AS d4,
        synth_digit62(record_number, 14776336) AS d5,
        synth_digit62(record_number, 238328) AS d6,
        synth_digit62(record_number, 3844) AS d7,
        synth_digit62(record_number, 62) AS d8,
        record_number % 62 AS d9
    FROM pooled
),
-- What is true of the company, whatever the CRM knows, drawn from its key so all its
-- leads agree. Headcount is log-normal; the head of the pool (the companies sending the
-- most leads) leans large.
company_drawn AS (
    SELECT
        *,
        synth_pick($country_slots, 3, region_no, synth_u(ck, 'country')) AS company_country,
        greatest(1, round(exp(ln(70) + 1.7 * synth_normal(ck, 'employees')
            + 1.5 * pow(1 - company_no / pool, 12))))::BIGINT AS headcount,
        synth_pick($industry_slots, 1, 1, synth_u(ck, 'industry')) AS company_industry,
        synth_any($stem_heads, synth_u(ck, 'stem head'))
            || synth_any($stem_tails, synth_u(ck, 'stem tail')) AS stem,
        synth_u(ck, 'warehouse') AS u_warehouse,
        synth_u(ck, 'customer') AS u_customer,
        synth_u(ck, 'customer owned') < 0.6 AS customer_owned,
        synth_u(ck, 'owned') AS u_owned,
        synth_u(ck, 'competitor') < 0.003 AS company_competitor,
        synth_u(ck, 'legal') < 0.45 AS has_legal_form,
        synth_u(ck, 'legal form') AS u_legal_form,
        synth_u(ck, 'word') AS u_word,
        synth_u(ck, 'domain word') < 0.4 AS domain_has_word,
        synth_u(ck, 'tld') AS u_tld,
        synth_u(ck, 'tech tld') < 0.3 AS tech_tld,
        synth_u(ck, 'account owner') AS u_account_owner,
        synth_u(ck, 'rounded') < 0.6 AS rounds_headcount,
        synth_normal(ck, 'revenue per head') AS z_revenue
    FROM company_keyed
),
company AS (
    SELECT
        *,
        list_position($country_codes, company_country) AS country_pos,
        CASE WHEN headcount >= 1000 THEN 3 WHEN headcount >= 200 THEN 2 ELSE 1 END AS tier,
        synth_pick($industry_words, len($industries),
                   list_position($industries, company_industry), u_word) AS word
    FROM company_drawn
),
company_profile AS (
    SELECT
        *,
        synth_pick($warehouse_slots, 3, tier, u_warehouse) AS company_warehouse,
        u_customer < [0.015, 0.055, 0.11][tier] AS company_customer,
        stem || ' ' || word || CASE
            WHEN has_legal_form
            THEN ' ' || synth_pick($country_legal, len($country_codes), country_pos, u_legal_form)
            ELSE ''
        END AS company_name,
        lower(stem)
            || CASE WHEN domain_has_word THEN lower(replace(word, ' ', '')) ELSE '' END
            || CASE
                WHEN u_tld < $country_tld_share[country_pos] THEN $country_tld[country_pos]
                WHEN company_industry = 'Technology' AND tech_tld
                THEN synth_any(['.io', '.ai', '.co', '.dev'], synth_u(ck, 'tech tld kind'))
                ELSE '.com'
            END AS company_domain,
        -- the territory team covering the company: its AEs own its account, if anyone does
        CASE
            WHEN region_no = 3 THEN 'apac'
            WHEN tier = 1 THEN 'inside-sales'
            WHEN region_no = 1 THEN ['amer-mid-market', 'amer-enterprise'][tier - 1]
            ELSE ['emea-mid-market', 'emea-enterprise'][tier - 1]
        END AS account_team
    FROM company
),
company_owned AS (
    SELECT
        *,
        u_owned < [0.006, 0.045, 0.2][tier] OR (company_customer AND customer_owned) AS owned,
        synth_pick($team_reps, len($team_ids), list_position($team_ids, account_team),
                   u_account_owner) AS company_owner
    FROM company_profile
),
-- Draws about the lead itself.
lead_drawn AS (
    SELECT
        *,
        synth_u(k, 'source missing') < 0.015 AS source_missing,
        synth_pick($source_slots, 1, 1, synth_u(k, 'source')) AS drawn_source,
        synth_u(k, 'listed role') < 0.06 AS listed_role,
        synth_pick($email_kind_slots, 1, 1, synth_u(k, 'email kind')) AS drawn_kind,
        synth_u(k, 'title') AS u_title,
        synth_any($first_names, synth_u(k, 'first name')) AS first_name,
        synth_any($last_names, synth_u(k, 'last name')) AS last_name,
        synth_u(k, 'local part') AS u_local,
        synth_u(k, 'company given') AS u_company_given,
        synth_u(k, 'company missing') < 0.004 AS company_missing,
        synth_u(k, 'enriched') AS u_enriched,
        synth_u(k, 'other mail domain') < 0.04 AS other_mail_domain,
        synth_u(k, 'other mail domain kind') < 0.5 AS mail_subdomain,
        CASE WHEN drawn_kind IN ('freemail', 'academic')
            THEN (10 + floor(synth_u(k, 'digits') * 89))::BIGINT::VARCHAR END AS digits,
        CASE WHEN drawn_kind = 'competitor'
            THEN synth_any($competitor_domains, synth_u(k, 'competitor domain')) END AS competitor_domain,
        synth_u(k, 'website missing') < 0.07 AS website_missing,
        synth_u(k, 'url form') AS u_url,
        synth_u(k, 'url slash') < 0.1 AS url_slash,
        synth_u(k, 'title missing') < 0.05 AS title_missing,
        synth_u(k, 'title case') AS u_title_case,
        synth_u(k, 'seniority missing') < 0.12 AS seniority_missing,
        synth_u(k, 'employees missing') < 0.03 AS employees_missing,
        synth_u(k, 'form size') < 0.25 AS form_size,
        synth_u(k, 'revenue missing') < 0.18 AS revenue_missing,
        synth_u(k, 'industry missing') < 0.03 AS industry_missing,
        synth_u(k, 'form industry') < 0.3 AS form_industry,
        synth_u(k, 'country missing') AS u_country_missing,
        synth_u(k, 'warehouse known') AS u_warehouse_known,
        synth_u(k, 'warehouse on form') < 0.08 AS warehouse_on_form,
        synth_u(k, 'competitor matched') < 0.75 AS competitor_matched
    FROM company_owned
),
-- Who the lead is: source, kind of address (bought and syndicated lists carry more shared
-- mailboxes), title and the address's local part.
person AS (
    SELECT
        *,
        CASE WHEN NOT source_missing THEN drawn_source END AS lead_source,
        CASE
            WHEN NOT source_missing AND listed_role
                AND drawn_source IN ('Purchased List', 'Content Syndication') THEN 'role'
            ELSE drawn_kind
        END AS email_kind
    FROM lead_drawn
),
person_title AS (
    SELECT
        *,
        synth_pick($title_slots, 4, CASE WHEN email_kind = 'academic' THEN 4 ELSE tier END,
                   u_title) + 1 AS title_no,
        CASE
            WHEN u_local < 0.45 THEN first_name || '.' || last_name
            WHEN u_local < 0.65 THEN first_name[1] || last_name
            WHEN u_local < 0.75 THEN first_name
            WHEN u_local < 0.83 THEN first_name || last_name
            WHEN u_local < 0.90 THEN first_name || '_' || last_name
            WHEN u_local < 0.95 THEN first_name || last_name[1]
            ELSE last_name || '.' || first_name
        END AS local_part,
        -- whose domain the address and website carry; many universities outside the
        -- English-speaking world have no academic suffix at all
        CASE email_kind
            WHEN 'academic' THEN lower(stem) || CASE
                WHEN company_country IN ('US', 'CA') THEN '.edu'
                WHEN company_country = 'GB' THEN '.ac.uk'
                WHEN company_country = 'AU' THEN '.edu.au'
                WHEN company_country = 'IN' THEN '.ac.in'
                WHEN company_country = 'NZ' THEN '.ac.nz'
                WHEN company_country = 'JP' THEN '.ac.jp'
                WHEN company_country = 'SG' THEN '.edu.sg'
                ELSE '-university' || $country_tld[country_pos]
            END
            WHEN 'competitor' THEN competitor_domain
            ELSE company_domain
        END AS domain,
        CASE
            WHEN email_kind = 'academic' THEN CASE
                WHEN synth_u(ck, 'university') < 0.4 THEN 'University of ' || stem
                WHEN synth_u(ck, 'university') < 0.8 THEN stem || ' University'
                ELSE stem || ' Institute of Technology'
            END
            WHEN email_kind = 'competitor'
            THEN upper(competitor_domain[1]) || split_part(competitor_domain, '.', 1)[2:]
            WHEN email_kind = 'freemail' THEN CASE
                WHEN u_company_given < 0.68 THEN company_name
                WHEN u_company_given < 0.80
                THEN synth_any(['Self-employed', 'Freelance', 'Independent Consultant', 'Personal'],
                               synth_u(k, 'no company'))
                WHEN u_company_given < 0.90 THEN '[not provided]'
                WHEN u_company_given < 0.97
                THEN synth_any(['n/a', '-', 'test', 'none', 'asdf', 'Home'], synth_u(k, 'junk company'))
            END
            WHEN company_missing THEN NULL
            ELSE company_name
        END AS company
    FROM person
),
-- What the CRM shows about the person and the company's identity.
contact AS (
    SELECT
        *,
        $title_persona[title_no] AS persona,
        company IS NOT DISTINCT FROM company_name
            OR email_kind IN ('academic', 'competitor') AS known_company,
        CASE
            WHEN email_kind = 'corporate' AND other_mail_domain
            THEN CASE WHEN mail_subdomain THEN 'mail.' || domain ELSE lower(stem) || 'group.com' END
            ELSE domain
        END AS mail_domain,
        CASE
            WHEN email_kind = 'role' AND synth_u(k, 'role title') < 0.7 THEN NULL
            WHEN title_missing THEN NULL
            WHEN u_title_case < 0.05 THEN lower($titles[title_no])
            WHEN u_title_case < 0.065 THEN upper($titles[title_no])
            ELSE $titles[title_no]
        END AS job_title,
        CASE email_kind
            WHEN 'academic'
            THEN greatest(300, round(exp(ln(4000) + 0.8 * synth_normal(ck, 'campus'))))::BIGINT
            WHEN 'competitor'
            THEN greatest(50, round(exp(ln(700) + 0.7 * synth_normal(hash(competitor_domain), 'staff'))))::BIGINT
            ELSE headcount
        END AS true_employees,
        CASE email_kind
            WHEN 'academic' THEN 'Education'
            WHEN 'competitor' THEN 'Technology'
            ELSE company_industry
        END AS true_industry
    FROM person_title
),
identity AS (
    SELECT
        *,
        CASE email_kind
            WHEN 'freemail' THEN known_company AND u_enriched < 0.35
            WHEN 'missing' THEN u_enriched < 0.60
            WHEN 'malformed' THEN u_enriched < 0.50
            ELSE u_enriched < 0.95
        END AS enriched,
        CASE email_kind
            WHEN 'corporate' THEN local_part || '@' || mail_domain
            WHEN 'competitor' THEN local_part || '@' || mail_domain
            WHEN 'academic' THEN CASE
                WHEN persona = 'student' AND synth_u(k, 'student id') < 0.5
                THEN first_name[1] || last_name || digits
                ELSE local_part
            END || '@' || mail_domain
            WHEN 'freemail' THEN CASE
                WHEN synth_u(k, 'free local') < 0.5 THEN first_name || '.' || last_name
                WHEN synth_u(k, 'free local') < 0.75 THEN first_name || last_name
                ELSE first_name[1] || last_name
            END || CASE WHEN synth_u(k, 'free digits') < 0.45 THEN digits ELSE '' END
                || '@' || synth_pick($freemail_slots, 1, 1, synth_u(k, 'provider'))
            WHEN 'role' THEN synth_any(['info', 'sales', 'contact', 'hello', 'admin', 'office',
                                        'marketing', 'support'], synth_u(k, 'mailbox'))
                || '@' || mail_domain
            WHEN 'malformed' THEN CASE
                WHEN synth_u(k, 'typo') < 0.3 THEN local_part || '@' || lower(stem)
                WHEN synth_u(k, 'typo') < 0.55 THEN local_part || '.' || mail_domain
                WHEN synth_u(k, 'typo') < 0.75 THEN first_name || ' ' || last_name || '@' || mail_domain
                WHEN synth_u(k, 'typo') < 0.9 THEN local_part || '@@' || mail_domain
                ELSE local_part || '@' || mail_domain || ','
            END
        END AS email,
        CASE
            WHEN (email_kind = 'freemail'
                  AND NOT (known_company AND synth_u(k, 'website given') < 0.55))
                OR website_missing THEN NULL
            ELSE CASE
                WHEN u_url < 0.62 THEN 'https://www.'
                WHEN u_url < 0.74 THEN 'https://'
                WHEN u_url < 0.79 THEN 'http://www.'
                WHEN u_url < 0.90 THEN 'www.'
                ELSE ''
            END || domain || CASE WHEN url_slash THEN '/' ELSE '' END
        END AS website,
        CASE WHEN job_title IS NOT NULL AND NOT seniority_missing
            THEN $title_seniority[title_no] END AS seniority
    FROM contact
),
-- The firmographics as the CRM holds them: enrichment fills most, forms some (size as
-- the lower bound of a band), gaps remain.
firmographics AS (
    SELECT
        *,
        CASE
            WHEN enriched AND NOT employees_missing THEN CASE
                -- enrichment often rounds to two significant figures
                WHEN true_employees >= 100 AND rounds_headcount
                THEN round(true_employees::DOUBLE, 1 - floor(log10(true_employees))::INTEGER)::BIGINT
                ELSE true_employees
            END
            WHEN known_company AND form_size THEN CASE
                WHEN true_employees >= 1000 THEN 1000 WHEN true_employees >= 200 THEN 200
                WHEN true_employees >= 50 THEN 50 ELSE 1
            END
        END AS employees,
        CASE WHEN enriched AND NOT revenue_missing THEN round(
            true_employees * exp(0.6 * z_revenue) * CASE true_industry
                WHEN 'Technology' THEN 220000 WHEN 'Banking' THEN 450000 WHEN 'Finance' THEN 400000
                WHEN 'Insurance' THEN 380000 WHEN 'Retail' THEN 180000
                WHEN 'Manufacturing' THEN 250000 WHEN 'Healthcare' THEN 150000
                WHEN 'Education' THEN 90000 WHEN 'Government' THEN 120000
                WHEN 'Not For Profit' THEN 70000 ELSE 200000
            END, -3)
        END AS annual_revenue,
        CASE
            WHEN enriched AND NOT industry_missing THEN true_industry
            WHEN known_company AND form_industry THEN true_industry
        END AS industry,
        CASE WHEN u_country_missing >= CASE WHEN enriched THEN 0.012 ELSE 0.15 END
            THEN company_country END AS country,
        CASE
            WHEN (enriched AND u_warehouse_known < [0.55, 0.68, 0.75][tier]) OR warehouse_on_form
            THEN company_warehouse
        END AS data_warehouse,
        company_customer AND email_kind NOT IN ('academic', 'competitor') AS is_customer,
        (company_competitor AND email_kind <> 'academic')
            OR (email_kind = 'competitor' AND competitor_matched) AS is_competitor,
        CASE WHEN owned AND email_kind NOT IN ('academic', 'competitor')
            THEN company_owner END AS account_owner,
        -- engagement: one latent intent per lead, lifted by source and persona
        synth_normal(k, 'intent') + CASE lead_source
            WHEN 'Website' THEN 0.3 WHEN 'Organic Search' THEN 0.1 WHEN 'Webinar' THEN 0.4
            WHEN 'Content Syndication' THEN -0.5 WHEN 'Purchased List' THEN -1.0
            WHEN 'Partner Referral' THEN 0.5 WHEN 'Customer Referral' THEN 0.5
            WHEN 'Product Signup' THEN 0.5 WHEN 'Outbound' THEN -0.6 ELSE 0
        END + CASE persona WHEN 'practitioner' THEN 0.25 WHEN 'student' THEN -0.1 ELSE 0 END
            AS intent
    FROM identity
),
-- Every counter and hand-raise follows the intent, so they are zero-inflated (inactive
-- leads do nothing) and correlated with each other.
engagement AS (
    SELECT
        *,
        -- the CRM's formula: region from country (the company's, when it is known)
        CASE WHEN country IS NOT NULL THEN $country_region[country_pos] END AS region,
        synth_u(k, 'active') < synth_sigmoid(0.4 + 1.3 * intent) AS active,
        synth_u(k, 'showed up') < 0.65 AS showed_up,
        synth_u(k, 'stray click') < 0.12 AS stray_click,
        synth_u(k, 'demo') < synth_sigmoid(-4.0 + 1.0 * intent
            + CASE persona WHEN 'exec' THEN 0.8 WHEN 'student' THEN -2 ELSE 0 END
            + CASE WHEN tier = 3 THEN 0.2 ELSE 0 END
            + CASE lead_source
                WHEN 'Website' THEN 1.3 WHEN 'Paid Search' THEN 0.7 WHEN 'Trade Show' THEN 0.9
                WHEN 'Partner Referral' THEN 1.0 WHEN 'Customer Referral' THEN 1.0
                WHEN 'Organic Search' THEN 0.4 WHEN 'Outbound' THEN 0.6 ELSE 0
            END) AS demo,
        CASE
            WHEN lead_source = 'Product Signup' THEN synth_u(k, 'trial') < 0.92
            ELSE synth_u(k, 'trial') < synth_sigmoid(-4.6 + 0.8 * intent
                + CASE WHEN persona = 'practitioner' THEN 0.9 ELSE 0 END
                + CASE WHEN tier = 1 THEN 0.4 ELSE 0 END)
        END AS trial,
        synth_u(k, 'unsubscribe') < synth_sigmoid(-3.2 - 0.5 * intent + CASE lead_source
            WHEN 'Purchased List' THEN 1.7 WHEN 'Content Syndication' THEN 1.1
            WHEN 'Outbound' THEN 0.9 ELSE 0
        END) AS unsub,
        synth_count(k, 'pricing', exp(-1.0 + 0.8 * intent
            + CASE WHEN persona = 'exec' THEN 0.3 ELSE 0 END)) AS pricing_if_active,
        synth_count(k, 'webinars', exp(-2.6 + 0.8 * intent)) AS webinars_if_active,
        1 + synth_count(k, 'webinars', 0.4) AS webinars_if_registered,
        synth_count(k, 'clicks', exp(0.1 + 0.7 * intent)) AS clicks_if_active,
        synth_count(k, 'downloads', exp(-1.3 + 0.6 * intent)) AS downloads_if_active,
        1 + synth_count(k, 'downloads', 0.25) AS downloads_if_syndicated,
        -- HubSpot sync gaps: some leads never got their counters or form flags
        synth_u(k, 'hubspot gap') < 0.02 AS counters_missing,
        synth_u(k, 'form gap') < 0.01 AS flags_missing,
        synth_u(k, 'unsubscribe missing') < 0.01 AS unsubscribe_missing,
        synth_u(k, 'no activity') < 0.6 AS no_activity_logged,
        synth_minutes(k, 'form fill', 2, 1.0) AS form_fill,
        -ln(synth_u(k, 'activity span')) AS activity_span,
        synth_normal(k, 'activity jitter') AS z_activity_jitter,
        synth_u(k, 'activity cut') AS u_activity_cut,
        synth_u(k, 'weekend') < 0.8 AS avoids_weekends
    FROM firmographics
),
counters AS (
    SELECT
        *,
        CASE WHEN active THEN pricing_if_active ELSE 0 END AS pricing,
        CASE
            WHEN lead_source = 'Webinar' AND showed_up THEN webinars_if_registered
            WHEN active THEN webinars_if_active
            ELSE 0
        END AS webinars,
        CASE WHEN active THEN clicks_if_active WHEN stray_click THEN 1 ELSE 0 END AS clicks,
        CASE
            WHEN lead_source = 'Content Syndication' THEN downloads_if_syndicated
            WHEN active THEN downloads_if_active
            ELSE 0
        END AS downloads
    FROM engagement
),
-- The last activity: the form fill itself, or some days after arrival at about the same
-- time of day (people keep their working hours), mostly moved off weekends.
activity AS (
    SELECT
        *,
        pricing + webinars + clicks + downloads + demo::INTEGER + trial::INTEGER AS actions,
        CASE
            WHEN pricing + webinars + clicks + downloads + demo::INTEGER + trial::INTEGER = 0
                AND lead_source IN ('Purchased List', 'Outbound', 'Trade Show')
                AND no_activity_logged THEN NULL
            WHEN pricing + webinars + clicks + downloads + demo::INTEGER + trial::INTEGER = 0
            THEN created_at + form_fill
            ELSE greatest(created_at + form_fill, created_at
                + to_days(floor(activity_span * (6 + 5 * sqrt(
                    pricing + webinars + clicks + downloads + demo::INTEGER + trial::INTEGER)))::INTEGER)
                + to_seconds(round(5400 * z_activity_jitter)::BIGINT))
        END AS raw_last_activity
    FROM counters
),
weekday_activity AS (
    SELECT
        *,
        CASE
            WHEN isodow(raw_last_activity) >= 6 AND avoids_weekends AND raw_last_activity > created_at + form_fill
            THEN raw_last_activity + to_days((8 - isodow(raw_last_activity))::INTEGER)
            ELSE raw_last_activity
        END AS weekday_last_activity
    FROM activity
),
-- The past process's judgement (not the engine's rules): a rough fit and engagement score
-- a marketing-ops team might have run, and a human's noise, decided who became an MQL.
-- Separately, the true company and person decide the real propensity to buy.
judged AS (
    SELECT
        *,
        CASE
            WHEN weekday_last_activity < $end::TIMESTAMP THEN weekday_last_activity
            WHEN weekday_last_activity IS NOT NULL THEN created_at + to_seconds(floor(
                date_diff('second', created_at, $end::TIMESTAMP) * u_activity_cut)::BIGINT)
        END AS last_activity_at,
        demo OR trial AS hand_raiser,
        is_competitor
            OR email_kind IN ('competitor', 'academic', 'role', 'malformed')
            OR persona = 'student'
            OR coalesce(list_contains($embargoed, country), false) AS disqualified,
        CASE
            WHEN employees >= 1000 THEN 15 WHEN employees >= 200 THEN 10
            WHEN employees >= 50 THEN 3 WHEN employees < 50 THEN -15 ELSE -3
        END
        + CASE WHEN annual_revenue >= 1e8 THEN 6 ELSE 0 END
        + CASE WHEN employees >= 200 AND region IS NOT NULL AND list_contains(['Technology',
            'Banking', 'Finance', 'Insurance', 'Healthcare', 'Biotechnology', 'Retail', 'Media',
            'Telecommunications'], industry) THEN 10 ELSE 0 END
        + CASE
            WHEN list_contains(['Banking', 'Finance', 'Insurance', 'Healthcare', 'Biotechnology'],
                               industry) THEN 6
            WHEN list_contains(['Education', 'Not For Profit', 'Government'], industry) THEN -8
            ELSE 0
        END
        + CASE
            WHEN list_contains(['Snowflake', 'BigQuery', 'Databricks', 'Redshift', 'Synapse'],
                               data_warehouse) THEN 8
            WHEN data_warehouse IN ('Teradata', 'Oracle') THEN 5
            ELSE 0
        END
        + CASE persona WHEN 'exec' THEN 12 WHEN 'practitioner' THEN 7 ELSE 0 END
        + CASE WHEN email_kind = 'freemail' THEN -14 ELSE 0 END AS past_fit,
        25 * demo::INTEGER + 20 * trial::INTEGER
        + CASE WHEN pricing >= 3 THEN 15 WHEN pricing >= 1 THEN 6 ELSE 0 END
        + CASE WHEN webinars >= 1 THEN 8 ELSE 0 END
        + CASE WHEN clicks >= 3 THEN 5 ELSE 0 END
        + CASE WHEN downloads >= 2 THEN 6 WHEN downloads = 1 THEN 2 ELSE 0 END
        + CASE
            WHEN lead_source = 'Partner Referral' THEN 10
            WHEN lead_source IN ('Purchased List', 'Content Syndication') THEN -10
            ELSE 0
        END
        - 15 * unsub::INTEGER AS past_engagement,
        CASE
            WHEN true_employees >= 1000 THEN 1.3 WHEN true_employees >= 200 THEN 0.9
            WHEN true_employees >= 50 THEN 0.2 ELSE -1.2
        END
        + CASE
            WHEN list_contains(['Technology', 'Retail', 'Media', 'Telecommunications'],
                               true_industry) THEN 0.4
            WHEN list_contains(['Banking', 'Finance', 'Insurance', 'Healthcare', 'Biotechnology'],
                               true_industry) THEN 0.5
            WHEN list_contains(['Education', 'Not For Profit', 'Government'], true_industry) THEN -0.6
            ELSE 0
        END
        + CASE
            WHEN list_contains(['Snowflake', 'BigQuery', 'Databricks', 'Redshift', 'Synapse'],
                               company_warehouse) THEN 0.6
            WHEN company_warehouse IN ('Teradata', 'Oracle') THEN 0.3
            ELSE 0
        END
        + CASE persona WHEN 'exec' THEN 0.9 WHEN 'practitioner' THEN 0.6 WHEN 'student' THEN -3 ELSE 0 END
        + CASE email_kind
            WHEN 'freemail' THEN -0.8 WHEN 'role' THEN -2.5 WHEN 'malformed' THEN -2.5
            WHEN 'competitor' THEN -5 WHEN 'academic' THEN -3 ELSE 0
        END
        - 5 * (company_competitor OR coalesce(list_contains($embargoed, company_country), false))::INTEGER
        + CASE WHEN list_contains(['US', 'CA', 'GB', 'IE', 'DE', 'NL', 'SE', 'NO', 'DK', 'AU', 'SG'],
                                  company_country) THEN 0.25 ELSE 0 END AS true_fit,
        0.7 * intent + 1.5 * demo::INTEGER + 0.8 * trial::INTEGER + 0.5 * (pricing >= 3)::INTEGER
            + 0.7 * synth_normal(k, 'luck') AS true_interest,
        synth_u(k, 'good deal') AS u_good_deal,
        synth_u(k, 'mql at signup') < 0.7 AS mql_at_signup,
        sqrt(synth_u(k, 'mql moment')) AS mql_moment
    FROM weekday_activity
),
-- Who works the lead. MQLs go to a rep of the team covering their region and size (named
-- accounts to their owner, AMER public sector to its specialist, leads without region or
-- size to the team RevOps triages them to); other leads sit where routing put them.
routed AS (
    SELECT
        *,
        -- (AND stops at the first false, so only plausible leads draw the human's noise)
        NOT disqualified AND NOT is_customer AND past_fit >= 12 AND past_engagement >= 5
            AND past_fit + past_engagement + 8 * synth_normal(k, 'judgement') >= 34 AS qualifies,
        u_good_deal < synth_sigmoid(-5.0 + true_fit + true_interest) AS good_deal,
        CASE
            WHEN region = 'APAC' THEN 'apac'
            WHEN region IN ('AMER', 'EMEA') AND employees >= 500 AND list_contains(['Banking',
                'Finance', 'Insurance', 'Healthcare', 'Biotechnology'], industry)
            THEN 'regulated-industries'
            WHEN region = 'AMER' AND employees >= 1000 THEN 'amer-enterprise'
            WHEN region = 'AMER' AND employees >= 200 THEN 'amer-mid-market'
            WHEN region = 'EMEA' AND employees >= 1000 THEN 'emea-enterprise'
            WHEN region = 'EMEA' AND employees >= 200 THEN 'emea-mid-market'
            WHEN employees < 200 THEN 'inside-sales'
            WHEN region = 'AMER' THEN 'amer-mid-market'
            WHEN region = 'EMEA' THEN 'emea-mid-market'
            ELSE 'inside-sales'
        END AS team,
        synth_u(k, 'rep') AS u_rep,
        -- partner deals are registered, and leads without region or size triaged, first
        CASE
            WHEN lead_source = 'Partner Referral' THEN 240
            WHEN region IS NULL OR employees IS NULL THEN 300
            ELSE 0
        END AS handoff_minutes
    FROM judged
),
assigned AS (
    SELECT
        *,
        CASE
            WHEN account_owner IS NOT NULL THEN account_owner
            WHEN region = 'AMER' AND industry = 'Government' THEN 'marcus.reed'
            ELSE synth_pick($team_reps, len($team_ids), list_position($team_ids, team), u_rep)
        END AS rep,
        -- an MQL the moment a hand-raise synced, or at a later activity (on a later day at
        -- about the same time, as activity is)
        CASE
            WHEN qualifies AND hand_raiser AND mql_at_signup
            THEN created_at + synth_minutes(k, 'mql sync', 6, 0.8)
            WHEN qualifies THEN created_at + synth_minutes(k, 'mql sync', 6, 0.8)
                + to_days(floor(mql_moment * date_diff(
                    'day', created_at, coalesce(last_activity_at, created_at)))::INTEGER)
        END AS anytime_mql
    FROM routed
),
mql_timed AS (
    SELECT
        *,
        CASE
            WHEN isodow(anytime_mql) >= 6 AND avoids_weekends AND NOT (hand_raiser AND mql_at_signup)
            THEN anytime_mql + to_days((8 - isodow(anytime_mql))::INTEGER)
            ELSE anytime_mql
        END AS raw_mql
    FROM assigned
),
-- The sales process after the MQL, before censoring: the first touch comes on the rep's
-- business hours at the rep's own pace (or as an evening reply, or never); then the rep
-- accepts or rejects, qualifies or lets it stall.
touch_drawn AS (
    SELECT
        *,
        list_position($rep_ids, rep) AS rep_pos,
        CASE
            WHEN raw_mql IS NULL THEN NULL
            WHEN synth_u(k, 'touch kind') < 0.025 THEN 'never'
            WHEN synth_u(k, 'touch kind') < 0.10 THEN 'off hours'
            ELSE 'business'
        END AS touch_kind,
        -- the draws below matter only for MQLs (or, at the end, for other conversions);
        -- CASE spares the other rows their logarithms and exponentials
        CASE WHEN raw_mql IS NOT NULL THEN synth_normal(k, 'touch delay') END AS z_touch,
        CASE WHEN raw_mql IS NOT NULL THEN synth_minutes(k, 'quick touch', 25, 0.9) END AS quick_touch,
        CASE WHEN raw_mql IS NOT NULL THEN synth_u(k, 'accept') END AS u_accept,
        CASE WHEN raw_mql IS NOT NULL THEN synth_u(k, 'junk') < 0.15 END AS junk,
        CASE WHEN raw_mql IS NOT NULL THEN CASE
            WHEN synth_u(k, 'accept on call') < 0.35 THEN synth_minutes(k, 'accept delay', 15, 0.7)
            ELSE synth_minutes(k, 'accept delay', 20 * 60, 0.9)
        END END AS accept_delay,
        CASE WHEN raw_mql IS NOT NULL THEN synth_u(k, 'qualify') END AS u_qualify,
        CASE WHEN raw_mql IS NOT NULL THEN synth_minutes(k, 'sql delay', 4 * 24 * 60, 0.9) END AS sql_delay,
        CASE WHEN raw_mql IS NOT NULL THEN synth_u(k, 'convert') < 0.92 END AS converts_when_qualified,
        CASE WHEN raw_mql IS NOT NULL THEN synth_minutes(k, 'convert delay', 6 * 60, 1.2) END AS convert_delay,
        CASE WHEN raw_mql IS NOT NULL THEN synth_minutes(k, 'recycle', 240, 0.8) END AS unworked_recycle_delay,
        CASE WHEN raw_mql IS NOT NULL THEN synth_minutes(k, 'recycle', 2 * 24 * 60, 0.9) END AS reject_recycle_delay,
        CASE WHEN raw_mql IS NOT NULL THEN synth_u(k, 'stall') < 0.7 END AS stalls,
        CASE WHEN raw_mql IS NOT NULL
            THEN to_seconds(round((30 + 30 * synth_u(k, 'stall days')) * 86400)::BIGINT) END AS stall_delay,
        CASE WHEN raw_mql IS NOT NULL THEN synth_u(k, 'nurture lost') < 0.04 END AS nurture_lost,
        CASE WHEN raw_mql IS NOT NULL THEN synth_minutes(k, 'nurture delay', 16 * 60, 1.0) END AS nurture_delay,
        CASE
            WHEN raw_mql IS NOT NULL THEN NULL
            WHEN is_customer THEN synth_u(k, 'expansion') < 0.25
            WHEN hand_raiser OR employees >= 200
                OR list_contains(['Outbound', 'Partner Referral', 'Customer Referral'], lead_source)
            THEN good_deal AND synth_u(k, 'other door') < 0.35
            ELSE good_deal AND synth_u(k, 'other door') < 0.10
        END AS converts_other
    FROM mql_timed
),
touch_local AS (
    SELECT
        *,
        handoff_minutes + $rep_speed[rep_pos] * exp(1.1 * z_touch) AS touch_minutes,
        CASE WHEN touch_kind = 'business'
            THEN synth_local(raw_mql, $rep_timezone[rep_pos]) END AS mql_local
    FROM touch_drawn
),
touched AS (
    SELECT
        *,
        CASE touch_kind
            WHEN 'off hours' THEN raw_mql + quick_touch
            WHEN 'business' THEN greatest(raw_mql, date_trunc('second', synth_utc(
                synth_business_add(mql_local, touch_minutes, $rep_opens[rep_pos], $rep_closes[rep_pos]),
                $rep_timezone[rep_pos])))
        END AS raw_first_touch,
        -- slow follow-up costs deals, as the FY25 data behind the SLA says
        touch_kind = 'never' OR (touch_kind = 'business' AND touch_minutes > 240) AS slow,
        touch_kind <> 'never' AND u_accept < CASE WHEN good_deal THEN 0.93 ELSE 0.58 END
            AS accepts
    FROM touch_local
),
worked AS (
    SELECT
        *,
        raw_first_touch + accept_delay AS raw_accepted,
        accepts AND u_qualify < CASE WHEN good_deal THEN 0.82 ELSE 0.07 END
            * CASE WHEN slow THEN 0.6 ELSE 1 END AS qualifies_sql,
        NOT accepts AND junk AS unqualified
    FROM touched
),
qualified AS (
    SELECT
        *,
        raw_accepted + sql_delay AS raw_sql,
        CASE
            WHEN touch_kind = 'never' THEN raw_mql + INTERVAL 14 DAY + unworked_recycle_delay
            WHEN NOT accepts AND NOT unqualified THEN raw_first_touch + reject_recycle_delay
            WHEN accepts AND NOT qualifies_sql AND stalls THEN raw_accepted + stall_delay
        END AS raw_recycled,
        -- leads that never became MQLs convert only through other doors: customer success,
        -- inside sales for hand-raisers, partners, outbound (decided in touch_drawn)
        CASE WHEN converts_other THEN (created_at + CASE
            WHEN is_customer THEN synth_minutes(k, 'other delay', 5 * 24 * 60, 1.0)
            ELSE synth_minutes(k, 'other delay', 18 * 24 * 60, 1.0)
        END)::DATE END AS raw_converted_other
    FROM worked
),
-- Censored at the end of the window: nothing is stamped after it, and nothing after a
-- stamp that was censored.
censored AS (
    SELECT
        *,
        CASE WHEN raw_mql < $end::TIMESTAMP THEN raw_mql END AS mql_at,
        CASE WHEN raw_mql < $end::TIMESTAMP AND raw_first_touch < $end::TIMESTAMP
            THEN raw_first_touch END AS first_touch_at,
        CASE WHEN accepts AND raw_accepted < $end::TIMESTAMP
            THEN raw_accepted END AS accepted_at,
        CASE WHEN accepts AND qualifies_sql AND raw_sql < $end::TIMESTAMP
            THEN raw_sql END AS sql_at,
        CASE WHEN raw_recycled < $end::TIMESTAMP THEN raw_recycled END AS recycled_at,
        CASE WHEN raw_recycled < $end::TIMESTAMP AND NOT nurture_lost
            AND raw_recycled + nurture_delay < $end::TIMESTAMP
            THEN raw_recycled + nurture_delay END AS nurture_enrolled_at,
        CASE
            WHEN accepts AND qualifies_sql AND converts_when_qualified
                AND (raw_sql + convert_delay)::DATE < $end::DATE
            THEN (raw_sql + convert_delay)::DATE
            WHEN raw_mql IS NULL AND converts_other AND raw_converted_other < $end::DATE
            THEN raw_converted_other
        END AS converted_on,
        synth_u(k, 'opportunity') AS u_opportunity,
        synth_u(k, 'won') < synth_sigmoid(-1.3 + 0.4 * true_fit) AS wins,
        CASE WHEN raw_mql IS NOT NULL OR converts_other THEN round(
            CASE WHEN true_employees >= 1000 THEN 90 ELSE 50 END
            * exp(0.5 * synth_normal(k, 'sales cycle')))::INTEGER END AS sales_cycle_days,
        CASE WHEN raw_mql IS NOT NULL OR converts_other THEN round(
            [9000, 30000, 85000][CASE WHEN true_employees >= 1000 THEN 3
                                      WHEN true_employees >= 200 THEN 2 ELSE 1 END]
            * exp(0.6 * synth_normal(k, 'deal size')), -2) END AS deal_size,
        synth_u(k, 'status') AS u_status,
        synth_u(k, 'owner missing') < 0.004 AS owner_missing
    FROM qualified
),
-- Outcomes: conversions mostly create opportunities (customers' mostly add a contact to
-- theirs); some opportunities close won before the window ends.
outcome AS (
    SELECT
        *,
        converted_on IS NOT NULL AS converted,
        CASE WHEN converted_on IS NOT NULL
            THEN u_opportunity < CASE WHEN is_customer THEN 0.15 ELSE 0.96 END
        END AS opportunity_created
    FROM censored
)
SELECT
    synth_sfdc_id(d1, d2, d3, d4, d5, d6, d7, d8, d9) AS lead_id,
    email,
    job_title,
    seniority,
    company,
    website,
    employees,
    annual_revenue,
    industry,
    country,
    region,
    data_warehouse,
    is_customer,
    is_competitor,
    account_owner,
    lead_source,
    CASE WHEN NOT counters_missing THEN pricing END AS pricing_page_visits,
    CASE WHEN NOT counters_missing THEN webinars END AS webinars_attended,
    CASE WHEN NOT flags_missing THEN demo END AS demo_requested,
    CASE WHEN NOT flags_missing THEN trial END AS trial_started,
    CASE WHEN NOT counters_missing THEN CASE WHEN unsub THEN clicks // 3 ELSE clicks END END
        AS email_clicks,
    CASE WHEN NOT counters_missing THEN downloads END AS content_downloads,
    CASE WHEN NOT unsubscribe_missing THEN unsub END AS unsubscribed,
    last_activity_at,
    created_at,
    CASE
        WHEN converted OR sql_at IS NOT NULL THEN 'Qualified'
        WHEN nurture_enrolled_at IS NOT NULL THEN 'Nurturing'
        WHEN recycled_at IS NOT NULL THEN 'Recycled'
        WHEN first_touch_at IS NOT NULL AND unqualified THEN 'Unqualified'
        WHEN first_touch_at IS NOT NULL THEN 'Working'
        WHEN mql_at IS NOT NULL THEN 'New'
        WHEN disqualified THEN CASE WHEN u_status < 0.7 THEN 'Unqualified' ELSE 'Nurturing' END
        WHEN hand_raiser AND u_status < 0.5 THEN 'Working'
        WHEN employees < 200 AND u_status < 0.4 THEN 'Nurturing'
        ELSE 'New'
    END AS status,
    CASE
        WHEN owner_missing THEN NULL
        WHEN mql_at IS NOT NULL THEN rep
        WHEN disqualified THEN 'marketing-nurture'
        WHEN account_owner IS NOT NULL THEN account_owner
        WHEN is_customer THEN 'customer-expansion'
        WHEN lead_source = 'Partner Referral' THEN 'partner-leads'
        WHEN region IS NOT NULL AND employees >= 200 THEN rep
        WHEN hand_raiser AND region IS NOT NULL THEN rep
        WHEN employees < 200 THEN 'marketing-nurture'
        ELSE 'unassigned-leads'
    END AS owner_id,
    mql_at,
    first_touch_at,
    accepted_at,
    sql_at,
    recycled_at,
    nurture_enrolled_at,
    converted,
    converted_on,
    opportunity_created,
    CASE WHEN opportunity_created AND wins AND converted_on + sales_cycle_days < $end::DATE
        THEN deal_size END AS won_amount
FROM outcome
