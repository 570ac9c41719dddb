-- Stable, documented views for analysts and reports (docs/views.md lists every column).
-- Views join extraction rows to the current revision of their document, so a revised document
-- never shows stale rows. `date` is the document's publication date (NULL when unknown);
-- period views leave undated documents out. Period views only have rows for periods with data:
-- a missing period is a gap, never a zero.

-- One row per document with its date and the issues it is tagged with.
CREATE OR REPLACE VIEW v_documents AS
SELECT
    d.doc_id,
    CAST(d.published AS DATE) AS date,
    d.published,
    d.title,
    d.url,
    d.source,
    d.kind,
    d.story_id,
    coalesce((SELECT list(i.issue ORDER BY i.issue) FROM document_issues i
              WHERE i.doc_id = d.doc_id AND i.revision = d.revision), []) AS issues,
    length(d.text) AS n_chars,
    d.revision
FROM documents d;

-- One row per classified stance statement (sentence or quote), with its evidence and document.
CREATE OR REPLACE VIEW v_stance_statements AS
SELECT
    CAST(d.published AS DATE) AS date,
    s.actor,
    s.official,
    s.issue,
    s.target,
    s.stance,
    s.probability,
    s.tone,
    s.actor_is_speaker,
    s.text AS evidence,
    s.start,
    s."end",
    s.doc_id,
    d.title,
    d.url,
    d.source
FROM statements s
JOIN documents d ON d.doc_id = s.doc_id AND d.revision = s.revision;

-- One row per document-level stance (actor, issue, target) aggregated from its statements.
CREATE OR REPLACE VIEW v_document_stances AS
SELECT
    CAST(d.published AS DATE) AS date,
    s.actor,
    s.official,
    s.issue,
    s.target,
    s.stance,
    s.n_support,
    s.n_oppose,
    s.also,
    s.doc_id,
    d.title,
    d.url
FROM stances s
JOIN documents d ON d.doc_id = s.doc_id AND d.revision = s.revision;

-- Stance counts per actor, issue and period (`unit`: 'day', 'week' or 'month'); net = support - oppose,
-- net_share = net / (support + oppose). `period` is the first day of the period (weeks start on Monday).
CREATE OR REPLACE MACRO stance_by_period(unit) AS TABLE
SELECT
    CAST(date_trunc(unit, date) AS DATE) AS period,
    actor,
    issue,
    count(*) AS n_statements,
    count(*) FILTER (WHERE stance = 'support') AS n_support,
    count(*) FILTER (WHERE stance = 'oppose') AS n_oppose,
    count(*) FILTER (WHERE stance NOT IN ('support', 'oppose')) AS n_none,
    count(*) FILTER (WHERE stance = 'support') - count(*) FILTER (WHERE stance = 'oppose') AS net,
    (count(*) FILTER (WHERE stance = 'support') - count(*) FILTER (WHERE stance = 'oppose'))
        / nullif(count(*) FILTER (WHERE stance IN ('support', 'oppose')), 0) AS net_share,
    avg(tone) AS mean_tone,
    count(DISTINCT doc_id) AS n_documents,
    list(DISTINCT doc_id ORDER BY doc_id) AS doc_ids
FROM v_stance_statements
WHERE date IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW v_stance_daily AS SELECT * FROM stance_by_period('day');
CREATE OR REPLACE VIEW v_stance_weekly AS SELECT * FROM stance_by_period('week');
CREATE OR REPLACE VIEW v_stance_monthly AS SELECT * FROM stance_by_period('month');

-- History of numeric positions (thresholds) per issue: who held which value, when, from what.
CREATE OR REPLACE VIEW v_positions AS
SELECT
    CAST(d.published AS DATE) AS date,
    t.issue,
    t.value,
    t.from_value,
    t.unit,
    t.role,
    t.holder,
    t.also,
    t.text AS evidence,
    t.start,
    t."end",
    t.doc_id,
    d.title,
    d.url,
    d.source
FROM thresholds t
JOIN documents d ON d.doc_id = t.doc_id AND d.revision = t.revision;

-- One row per quote with its speaker, the issues of the sentences it overlaps, and its document's issues.
CREATE OR REPLACE VIEW v_quotes AS
SELECT
    CAST(d.published AS DATE) AS date,
    q.speaker,
    q.speaker_country,
    q.speaker_role,
    (SELECT any_value(m.official_id) FROM official_mentions m
     WHERE m.doc_id = q.doc_id AND m.revision = q.revision AND m.name = q.speaker) AS official_id,
    q.text AS quote,
    length(q.text) AS n_chars,
    coalesce((SELECT list(DISTINCT i.issue ORDER BY i.issue) FROM issue_mentions i
              WHERE i.doc_id = q.doc_id AND i.revision = q.revision
                AND i.start < q."end" AND i."end" > q.start), []) AS quote_issues,
    coalesce((SELECT list(i.issue ORDER BY i.issue) FROM document_issues i
              WHERE i.doc_id = q.doc_id AND i.revision = q.revision), []) AS doc_issues,
    q.start,
    q."end",
    q.doc_id,
    d.title,
    d.url
FROM quotes q
JOIN documents d ON d.doc_id = q.doc_id AND d.revision = q.revision;

-- One row per quote and issue: issues of the sentences the quote overlaps (basis 'quote'), or the
-- document's issues when those name none (basis 'document').
CREATE OR REPLACE VIEW v_quote_issues AS
SELECT q.* EXCLUDE (quote_issues, doc_issues), unnest(q.quote_issues) AS issue, 'quote' AS basis
FROM v_quotes q
WHERE len(q.quote_issues) > 0
UNION ALL
SELECT q.* EXCLUDE (quote_issues, doc_issues), unnest(q.doc_issues) AS issue, 'document' AS basis
FROM v_quotes q
WHERE len(q.quote_issues) = 0 AND len(q.doc_issues) > 0;

-- One row per named official per document: mentions, quotes and stance statements, by date.
CREATE OR REPLACE VIEW v_official_timeline AS
WITH mentions AS (
    SELECT doc_id, revision, name,
           any_value(official_id) AS official_id,
           any_value(country) AS country,
           list(DISTINCT role ORDER BY role) FILTER (WHERE role IS NOT NULL) AS roles,
           count(*) AS n_mentions
    FROM official_mentions
    WHERE name <> ''
    GROUP BY ALL
), spoken AS (
    SELECT doc_id, revision, speaker AS name, any_value(speaker_country) AS country, count(*) AS n_quotes
    FROM quotes
    WHERE speaker IS NOT NULL AND speaker <> ''
    GROUP BY ALL
), stated AS (
    SELECT doc_id, revision, official AS name, any_value(actor) AS country,
           count(*) AS n_statements,
           count(*) FILTER (WHERE stance = 'support') AS n_support,
           count(*) FILTER (WHERE stance = 'oppose') AS n_oppose
    FROM statements
    WHERE official IS NOT NULL AND official <> ''
    GROUP BY ALL
), people AS (
    SELECT doc_id, revision, name FROM mentions
    UNION SELECT doc_id, revision, name FROM spoken
    UNION SELECT doc_id, revision, name FROM stated
)
SELECT
    CAST(d.published AS DATE) AS date,
    p.name AS official,
    m.official_id,
    coalesce(m.country, s.country, t.country) AS country,
    coalesce(m.roles, []) AS roles,
    coalesce(m.n_mentions, 0) AS n_mentions,
    coalesce(s.n_quotes, 0) AS n_quotes,
    coalesce(t.n_statements, 0) AS n_statements,
    coalesce(t.n_support, 0) AS n_support,
    coalesce(t.n_oppose, 0) AS n_oppose,
    coalesce((SELECT list(i.issue ORDER BY i.issue) FROM document_issues i
              WHERE i.doc_id = d.doc_id AND i.revision = d.revision), []) AS doc_issues,
    p.doc_id,
    d.title,
    d.url
FROM people p
JOIN documents d ON d.doc_id = p.doc_id AND d.revision = p.revision
LEFT JOIN mentions m ON m.doc_id = p.doc_id AND m.revision = p.revision AND m.name = p.name
LEFT JOIN spoken s ON s.doc_id = p.doc_id AND s.revision = p.revision AND s.name = p.name
LEFT JOIN stated t ON t.doc_id = p.doc_id AND t.revision = p.revision AND t.name = p.name;
