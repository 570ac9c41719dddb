-- Scraper state: every HTTP fetch is logged; each URL keeps its validators for conditional GET.

CREATE TABLE fetches (
    run_id      VARCHAR,
    url         VARCHAR NOT NULL,
    source      VARCHAR,
    status      INTEGER,                    -- HTTP status; NULL when no response
    bytes       BIGINT,
    elapsed_ms  DOUBLE,
    fetched_at  TIMESTAMP NOT NULL,
    error       VARCHAR
);

CREATE TABLE url_state (
    url           VARCHAR PRIMARY KEY,      -- canonical URL
    source        VARCHAR,
    etag          VARCHAR,
    last_modified VARCHAR,
    sha256        VARCHAR,                  -- of the extracted text last stored
    doc_id        VARCHAR,
    last_status   INTEGER,
    last_fetched  TIMESTAMP
);
