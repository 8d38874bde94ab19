"""HTML helpers (app/ui.py) and the review queue (app/review_queue.py), on seed sentences."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app import ui
from app.review_queue import (
    UNDECIDED,
    QueueFilter,
    build_queue,
    decision_of,
    next_after_decision,
    position_of,
    priority,
    progress_counts,
)
from corpus.repository import Review, StoredFinding
from nlp.records import Comparison
from tests.app_support import EN_2, hand_comparison


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return hand_comparison()


class _Collector(HTMLParser):
    """Collect start tags and text, to check structure without regexes over HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(markup: str) -> _Collector:
    c = _Collector()
    c.feed(markup)
    return c


@pytest.mark.parametrize(
    "payload",
    [
        "<script>window.__pwned=1</script>",
        '<img src=x onerror="window.__pwned=1">',
        "<a href='javascript:alert(1)'>x</a>",
        '"><svg onload=alert(1)>',
    ],
)
def test_highlight_escapes_markup_and_marks_span(payload):
    text = f"{payload} في 17 أكتوبر"
    start = text.index("17")
    out = ui.highlight(text, 0, len(text), [(start, start + 9)])
    tags = [t for t, _ in _parse(out).tags]
    assert tags == ["mark"]
    assert "".join(_parse(out).text) == text  # the payload reads back as text


def test_highlight_merges_overlaps_and_clips_to_passage():
    text = "On 17 October 2017 the army advanced."
    out = ui.highlight(text, 3, 18, [(0, 5), (3, 13), (10, 18), (30, 35)])
    assert out == "<mark>17 October 2017</mark>"


def test_text_block_direction_follows_language():
    ar = _parse(ui.text_block("x", "ar")).tags[0][1]
    en = _parse(ui.text_block("x", "en")).tags[0][1]
    assert (ar["dir"], ar["lang"]) == ("rtl", "ar")
    assert (en["dir"], en["lang"]) == ("ltr", "en")


def test_css_font_stack_covers_arabic():
    assert '"Noto Naskh Arabic", "Amiri", "Arial", sans-serif' in ui.CSS


def test_pair_html_marks_compared_spans_on_both_sides(comparison):
    markup = ui.pair_html(comparison, comparison.findings[1])
    parsed = _parse(markup)
    blocks = [a for t, a in parsed.tags if t == "div" and a.get("class") == "tby-text"]
    assert [(b["dir"], b["lang"]) for b in blocks] == [("rtl", "ar"), ("ltr", "en")]
    marks = re.findall(r"<mark>(.*?)</mark>", markup)
    assert marks == ["3 نوفمبر", "3 November"]
    assert "دير الزور &lt;b&gt;" in markup  # titles are escaped too


def test_pair_html_of_omission_has_empty_side_and_escaped_payload(comparison):
    markup = ui.pair_html(comparison, comparison.findings[2])
    assert "No aligned sentence on this side." in markup
    assert "<script" not in markup and "<img" not in markup
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in markup
    assert "<mark>" not in markup  # an omission marks no span


def test_context_shows_neighbours_and_marks_aligned_sentence(comparison):
    markup = ui.context_html(comparison, comparison.findings[1], width=1)
    assert "17 أكتوبر" in markup and "On 17 October" in markup  # neighbours before
    assert f"<mark>{EN_2}</mark>" in markup
    # the empty English side of the omission shows the English sentences around its place
    omission = ui.context_html(comparison, comparison.findings[2], width=1)
    assert "On 3 November" in omission
    assert "<script" not in omission


def test_context_window_bounds(comparison):
    assert ui.context_window(comparison, comparison.findings[0], True, width=2) == (0, 3)
    assert ui.context_window(comparison, comparison.findings[2], False, width=1) == (1, 2)


def test_finding_header_names_side_and_escapes(comparison):
    f = comparison.findings[3]
    markup = ui.finding_header_html(f, "الترجمة <i>", "English")
    assert "only in <bdi>الترجمة &lt;i&gt;</bdi>" in markup
    assert "date only on the left" in markup
    assert "2017-11-04" in markup
    assert "<i>" not in markup


# --------------------------------------------------------------------------- queue


def _stored(comparison, decisions=None):
    decisions = decisions or {}
    out = []
    for i, f in enumerate(comparison.findings):
        latest = {}
        if i in decisions:
            latest["ana"] = Review(i, 10 + i, "ana", decisions[i], "", "")
        out.append(StoredFinding(10 + i, 1, i, f, latest))
    return out


def test_priority_groups(comparison):
    assert [priority(f) for f in comparison.findings] == [3, 0, 2, 1]


def test_queue_orders_conflicts_then_one_side_then_omissions_then_agreements(comparison):
    queue = build_queue(_stored(comparison), QueueFilter(), "ana")
    assert [s.index for s in queue] == [1, 3, 2, 0]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (QueueFilter(kinds=("date",)), [1, 3, 0]),
        (QueueFilter(statuses=("left_only",)), [3, 2]),
        (QueueFilter(min_confidence=0.8), [1, 0]),
        (QueueFilter(decision=UNDECIDED), [3, 2, 0]),
        (QueueFilter(decision="confirmed"), [1]),
    ],
)
def test_queue_filters(comparison, flt, expected):
    queue = build_queue(_stored(comparison, {1: "confirmed"}), flt, "ana")
    assert [s.index for s in queue] == expected


def test_decision_of_is_per_reviewer(comparison):
    stored = _stored(comparison, {1: "false_alarm"})
    assert decision_of(stored[1], "ana") == "false_alarm"
    assert decision_of(stored[1], "omar") == UNDECIDED


def test_navigation_helpers(comparison):
    queue = build_queue(_stored(comparison), QueueFilter(), "ana")
    assert position_of(queue, queue[2].id) == 2
    assert position_of(queue, 999) == 0
    assert next_after_decision(queue, 0) == queue[1].id
    assert next_after_decision(queue, 3) == queue[2].id
    assert next_after_decision(queue[:1], 0) == queue[0].id


def test_progress_counts(comparison):
    counts = progress_counts(_stored(comparison, {0: "agree", 1: "confirmed"}), "ana")
    assert counts["total"] == 4 and counts[UNDECIDED] == 2
    assert counts["agree"] == 1 and counts["confirmed"] == 1
