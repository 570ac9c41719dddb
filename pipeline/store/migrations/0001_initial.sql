-- Initial schema: documents with revisions, ingestion runs, extraction results.
-- Extraction rows carry (doc_id, revision) and code-point offsets [start, end) into the
-- document text, so SQL can join items by document and by position.

CREATE TABLE documents (
    doc_id      VARCHAR PRIMARY KEY,
    revision    INTEGER NOT NULL,           -- current revision number, 1-based
    sha256      VARCHAR NOT NULL,           -- sha256 of text (current revision)
    source      VARCHAR,
    kind        VARCHAR,
    url         VARCHAR,
    title       VARCHAR,
    published   TIMESTAMP,                  -- publication date/time; NULL when unknown
    fetched_at  TIMESTAMP,
    ingested_at TIMESTAMP NOT NULL,
    text        VARCHAR NOT NULL,
    story_id    VARCHAR                     -- near-duplicate cluster id (scrapers)
);

CREATE TABLE document_revisions (
    doc_id      VARCHAR NOT NULL,
    revision    INTEGER NOT NULL,
    sha256      VARCHAR NOT NULL,
    title       VARCHAR,
    published   TIMESTAMP,
    fetched_at  TIMESTAMP,
    ingested_at TIMESTAMP NOT NULL,
    run_id      VARCHAR,
    text        VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, revision)
);

CREATE TABLE ingest_runs (
    run_id       VARCHAR PRIMARY KEY,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    command      VARCHAR,
    status       VARCHAR NOT NULL,          -- running | ok | interrupted | failed
    docs_read    INTEGER DEFAULT 0,
    docs_new     INTEGER DEFAULT 0,
    docs_revised INTEGER DEFAULT 0,
    docs_unchanged INTEGER DEFAULT 0,
    docs_skipped INTEGER DEFAULT 0,
    summary      JSON
);

CREATE TABLE officials (
    official_id VARCHAR PRIMARY KEY,        -- register person_id, or 'x:' + name for unregistered
    name        VARCHAR NOT NULL,
    country     VARCHAR,
    in_register BOOLEAN NOT NULL
);

CREATE TABLE official_mentions (
    doc_id      VARCHAR NOT NULL,
    revision    INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    country     VARCHAR,
    role        VARCHAR,
    official_id VARCHAR,
    method      VARCHAR NOT NULL
);

CREATE TABLE country_mentions (
    doc_id   VARCHAR NOT NULL,
    revision INTEGER NOT NULL,
    start    INTEGER NOT NULL,
    "end"    INTEGER NOT NULL,
    text     VARCHAR NOT NULL,
    code     VARCHAR NOT NULL
);

CREATE TABLE issue_mentions (
    doc_id   VARCHAR NOT NULL,
    revision INTEGER NOT NULL,
    start    INTEGER NOT NULL,
    "end"    INTEGER NOT NULL,
    issue    VARCHAR NOT NULL,
    text     VARCHAR
);

CREATE TABLE document_issues (
    doc_id   VARCHAR NOT NULL,
    revision INTEGER NOT NULL,
    issue    VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, issue)
);

CREATE TABLE thresholds (
    doc_id     VARCHAR NOT NULL,
    revision   INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       VARCHAR NOT NULL,
    value      DOUBLE NOT NULL,
    unit       VARCHAR NOT NULL,
    from_value DOUBLE,
    role       VARCHAR NOT NULL,
    holder     VARCHAR,
    issue      VARCHAR,
    also       VARCHAR[]
);

CREATE TABLE quotes (
    doc_id          VARCHAR NOT NULL,
    revision        INTEGER NOT NULL,
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    text            VARCHAR NOT NULL,
    speaker         VARCHAR,
    speaker_country VARCHAR,
    speaker_role    VARCHAR
);

CREATE TABLE statements (
    doc_id           VARCHAR NOT NULL,
    revision         INTEGER NOT NULL,
    start            INTEGER NOT NULL,
    "end"            INTEGER NOT NULL,
    text             VARCHAR NOT NULL,
    actor            VARCHAR NOT NULL,
    official         VARCHAR,
    issue            VARCHAR NOT NULL,
    target           VARCHAR,
    actor_is_speaker BOOLEAN NOT NULL,
    stance           VARCHAR NOT NULL,     -- support | oppose | none
    probability      DOUBLE NOT NULL,      -- calibrated probability of `stance`
    tone             DOUBLE NOT NULL       -- [-1, 1], independent of stance
);

CREATE TABLE stances (
    doc_id    VARCHAR NOT NULL,
    revision  INTEGER NOT NULL,
    actor     VARCHAR NOT NULL,
    official  VARCHAR,
    issue     VARCHAR NOT NULL,
    target    VARCHAR,
    stance    VARCHAR NOT NULL,
    also      VARCHAR[],
    n_support INTEGER NOT NULL,
    n_oppose  INTEGER NOT NULL
);

CREATE TABLE document_tone (
    doc_id   VARCHAR PRIMARY KEY,
    revision INTEGER NOT NULL,
    tone     DOUBLE NOT NULL
);
