"""Bad input: the pipeline survives empty, odd, huge and broken texts."""

from __future__ import annotations

import pytest

from pipeline.nlp.extract import extract_documents
from pipeline.types import Document


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "12 34 5.6 7,890 $ % 1e999 -5",
        "!!! ??? ... ;;; ---",
        "Control\x00characters\x07and\x1bescapes in a sentence about tariffs.",
        'He said "this never ends and "neither does “this or « that',
        "\u200b\ufeff zero width and BOM",
    ],
)
def test_odd_texts(nlp, text):
    ex = extract_documents(nlp, [Document(doc_id="x", text=text)])[0]
    assert ex.doc_id == "x"
    for item in (*ex.countries, *ex.quotes, *ex.thresholds):
        assert 0 <= item.start <= item.end <= len(text)


def test_five_megabyte_text_is_chunked(nlp):
    # Mostly blank so the test stays fast: it checks chunking, offsets and the linear scanners, not spaCy speed.
    head = "Canada said the tariff of 25 percent on steel would stay.\n\n"
    tail = '\n\n"We will not move on this," Japan\'s trade minister said of the 300 mln dlrs quota.'
    text = head + (" " * 1000 + "\n") * 5_000 + tail
    assert len(text) > 5_000_000
    ex = extract_documents(nlp, [Document(doc_id="big", text=text)], max_chars=200_000)[0]
    assert {c.code for c in ex.countries} == {"CA", "JP"}
    for item in (*ex.countries, *ex.thresholds):
        assert text[item.start:item.end] == item.text
    assert any(text[q.start:q.end].startswith("We will not move") for q in ex.quotes)
