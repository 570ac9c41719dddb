"""MinHash story linking."""

from __future__ import annotations

from pipeline.scrape.dedup import StoryIndex

BASE = ("The commerce agency raised the combined duty on softwood lumber to 14.4 percent from 8.1 percent, "
        "completing its fifth administrative review. Producers called the decision unjustified and will appeal "
        "to a binational panel. Builders say the higher rate adds thousands of dollars to the cost of a new house.")


def test_wire_copy_joins_the_story_and_unrelated_text_does_not():
    """A lightly edited copy gets the first document's story id; a different text starts its own story."""
    index = StoryIndex()
    first = index.assign("a", BASE)
    copy = index.assign("b", "(Replica Wire) - " + BASE + " Reporting by the desk.")
    other = index.assign("c", "Dairy negotiators met again to discuss how the cheese and butter quota is run, "
                              "with exporters asking for unused licences to be reallocated every quarter of the year.")
    assert first.story_id == "a" and copy.story_id == "a" and other.story_id == "c"


def test_index_is_rebuilt_from_stored_signatures():
    """Signatures saved by one run let the next run link a new copy to the old story."""
    first = StoryIndex().assign("a", BASE)
    later = StoryIndex((first,)).assign("z", BASE + " Updated at noon.")
    assert later.story_id == "a"


def test_revision_keeps_its_story():
    """A document assigned again (a revision) keeps its story id."""
    index = StoryIndex()
    index.assign("a", BASE)
    index.assign("b", BASE + " Copy.")
    assert index.assign("b", "Completely different revised text about wheat export bans and licences.").story_id == "a"
