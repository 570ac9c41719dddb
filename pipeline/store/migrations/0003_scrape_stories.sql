-- Scraper near-duplicate index: one MinHash signature per scraped document, with its story id
-- (documents.story_id holds the same id for querying; this table lets the next run match new copies).

CREATE TABLE story_signatures (
    doc_id     VARCHAR PRIMARY KEY,
    story_id   VARCHAR NOT NULL,
    hashvalues UBIGINT[] NOT NULL
);
