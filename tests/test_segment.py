"""Sentence segmentation on the demo documents and on sentences written for each rule."""

from __future__ import annotations

from pathlib import Path

import pytest

import nlp.segment as seg
from nlp.records import Document, Sentence
from nlp.segment import segment

DEMO = Path(__file__).resolve().parents[1] / "corpus" / "demo"
DEMO_FILES = {
    "en-wiki": ("en-wiki.txt", "en"),
    "ar-wiki": ("ar-wiki.txt", "ar"),
    "ar-news-nov": ("ar-news-2017-11-03.txt", "ar"),
    "ar-news-sep": ("ar-news-2017-09.txt", "ar"),
}


def demo_doc(doc_id: str) -> Document:
    name, lang = DEMO_FILES[doc_id]
    return Document(id=doc_id, text=(DEMO / name).read_text(encoding="utf-8"), lang=lang)


def texts(text: str, lang: str) -> list[str]:
    return [s.text for s in segment(Document(id="t", text=text, lang=lang))]  # type: ignore[arg-type]


def check_invariants(doc: Document, sents: list[Sentence]) -> None:
    assert [s.idx for s in sents] == list(range(len(sents)))
    previous_end = 0
    for s in sents:
        assert doc.text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= previous_end  # in order, no overlap
        assert s.doc_id == doc.id
        previous_end = s.end


# --------------------------------------------------------------------------- demo documents


@pytest.mark.parametrize("doc_id", list(DEMO_FILES))
def test_demo_invariants_and_no_empty_or_split_citation(doc_id: str) -> None:
    doc = demo_doc(doc_id)
    sents = segment(doc)
    check_invariants(doc, sents)
    for s in sents:
        assert not s.text.startswith(("[", "]", ".", "،", '"', "”", "»")), s.text
    # every non-blank line is covered by at least one segment
    covered = {i for s in sents for i in range(s.start, s.end)}
    offset = 0
    for line in doc.text.split("\n"):
        if line.strip():
            assert any(offset + i in covered for i in range(len(line))), line
        offset += len(line) + 1


def test_en_wiki_headings_lists_and_sentences() -> None:
    sents = segment(demo_doc("en-wiki"))
    by_text = {s.text: s for s in sents}
    assert sents[0].text == "Deir ez-Zor offensive (September–November 2017)"
    assert sents[0].kind == "heading"
    for heading in ("Background", "Battle", "Surrounding the city", "Capturing the city",
                    "Aftermath – advance on Abu Kamal", "See also"):  # fmt: skip
        assert by_text[heading].kind == "heading"
    commander = next(s for s in sents if s.text.startswith("Commander1:"))
    assert commander.kind == "list_item"
    assert "Maj. Gen. Suheil al-Hassan" in commander.text and commander.text.endswith("()")
    casualties = by_text["Casualties1: 120 killed (18 Sep. – 25 Sep.; 29 Oct. – 1 Nov.)"]
    assert casualties.kind == "list_item"
    assert by_text["2017 Abu Kamal offensive"].kind == "list_item"
    assert by_text["Infobox"].kind == "sentence"
    expected = [
        "Between 14 and 23 September, the military had cleared between 1,300 and 1,700 square "
        "kilometers of territory, including 35 towns and villages.",
        "They were attempting to reach an area that overlooks some of the remaining ISIL-held "
        "neighborhoods where an estimated 1,500 civilians were trapped.",
        "50 ISIL militants and 23 pro-government fighters were killed during the day's "
        "fighting.",
        "Second, to recapture the entire city.",
    ]
    for sentence in expected:
        assert by_text[sentence].kind == "sentence"
    assert sum(s.kind == "heading" for s in sents) == 7
    assert sum(s.kind == "list_item" for s in sents) == 14 + 6  # infobox + see also


def test_ar_wiki_lines_citations_and_numbers() -> None:
    sents = segment(demo_doc("ar-wiki"))
    got = [s.text for s in sents]
    # a line without final punctuation is a segment of its own, citation included
    assert got[0] == (
        "في 17 أكتوبر، أمن الجيش السوري محيطا يحيط النصف مدار من قبل داعش في المدينة[5]"
    )
    assert got[1].startswith("في 3 نوفمبر، سيطر الجيش السوري تماماً على المدينة،[6][7] وفي 17")
    assert got[1].endswith("بالمدينة[8]")
    assert (
        "في 16 أكتوبر، استولى الجيش السوري على بلدة الحسينية على الجانب الآخر للفرات "
        "من دير الزور.[40]"
    ) in got
    assert "في اليوم التالي، تم الاستيلاء على بلدة الجنينة أيضاً.[41]" in got
    assert any("بين 1,300 و1،700 كيلومتر مربع" in t and t.endswith("[38][39]") for t in got)
    assert "في 3 نوفمبر، استولت القوات الحكومية السورية على المدينة بالكامل.[6][7][59]" in got
    assert len(sents) == 43


def test_ar_news_sep_year_then_period_and_quoted_ellipsis() -> None:
    got = [s.text for s in segment(demo_doc("ar-news-sep"))]
    assert (
        "وتسيطر قوات النظام على هذه القاعدة العسكرية التي يحاصرها مقاتلو التنظيم منذ العام 2014."
    ) in got
    assert any(t.startswith("وافاد المرصد انها تخوض") for t in got)
    quoted = next(t for t in got if "حققت..." in t)
    assert quoted.endswith('تقدما جديدا في اتجاه اللواء 137".')
    assert got[-1] == "نبض"


def test_ar_news_nov_tweet_lines_are_segments() -> None:
    got = [s.text for s in segment(demo_doc("ar-news-nov"))]
    assert "نبارك للأخوة في #سوريا الحبيبة بإستعادة #دير_الزور" in got
    assert "من يد #الإرهاب" in got
    assert any(t.endswith("(@Reema_Rashid11) 3 novembre 2017") for t in got)
    assert len(got) == 15


@pytest.mark.parametrize("doc_id", list(DEMO_FILES))
def test_demo_documents_segment_fast(doc_id: str) -> None:
    import time

    doc = demo_doc(doc_id)
    segment(doc)  # builds and caches the spaCy pipeline
    start = time.perf_counter()
    segment(doc)
    assert time.perf_counter() - start < 0.5


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("استولى الجيش على البلدة من دير الزور.[40] في اليوم التالي، سقطت الجنينة.", "ar",
         ["استولى الجيش على البلدة من دير الزور.[40]", "في اليوم التالي، سقطت الجنينة."]),
        ("سيطر الجيش على المدينة،[6][7] وفي 17 نوفمبر، سلمت داعش الجزيرة.", "ar",
         ["سيطر الجيش على المدينة،[6][7] وفي 17 نوفمبر، سلمت داعش الجزيرة."]),
        ("المنطقة.[26][27][28] بعد هذا، تقدم الجيش.", "ar",
         ["المنطقة.[26][27][28]", "بعد هذا، تقدم الجيش."]),
        ("The siege was lifted.[23] Two new objectives were set.", "en",
         ["The siege was lifted.[23]", "Two new objectives were set."]),
        ("The army advanced.[6][7] The city fell.", "en",
         ["The army advanced.[6][7]", "The city fell."]),
        ("The army advanced. [12] The city fell.", "en",
         ["The army advanced. [12]", "The city fell."]),
        ("The army advanced.[a] The city fell.[citation needed] It ended.", "en",
         ["The army advanced.[a]", "The city fell.[citation needed]", "It ended."]),
    ],
)
def test_citation_marks_stay_with_their_sentence(text: str, lang: str, expected: list[str]) -> None:
    assert texts(text, lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Maj. Gen. Suheil al-Hassan led the Tiger Forces.",
        "Lt. Gen. Valery Asapov was killed by shelling.",
        "Brig. Gen. Ghassan Iskandar Tarraf commanded the division.",
        "The army lost 120 men between 18 Sep. and 25 Sep. in the battle.",
        "Fighting resumed on 29 Oct. and lasted three days.",
        "Airstrikes hit Building No. 5 in the Hamidiyah district.",
        "Several towns, e.g. Mayadin, were still held by ISIL.",
        "Several towns, i.e. Mayadin and Abu Kamal, were still held by ISIL.",
        "The U.S. Army did not take part in the offensive.",
        "The report was written by George W. Bush's former adviser.",
        "J. R. R. Tolkien did not write about Syria.",
        "Dr. Smith and Mr. Jones arrived on Sept. 6 with approx. 300 men.",
        "The coalition, led by the U.S., bombed the bridge.",
    ],
)
def test_english_abbreviations_and_initials_do_not_split(text: str) -> None:
    after = "The next day the town fell."
    assert texts(f"{text} {after}", "en") == [text, after]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("They bought tanks, trucks, etc. The war went on.",
         ["They bought tanks, trucks, etc.", "The war went on."]),
        ("They bought tanks, trucks, etc. and more guns.",
         ["They bought tanks, trucks, etc. and more guns."]),
        ("The contract went to Acme Inc. Work began in May.",
         ["The contract went to Acme Inc.", "Work began in May."]),
    ],
)
def test_may_end_abbreviations(text: str, expected: list[str]) -> None:
    assert texts(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The army cleared between 1,300 and 1,700 square kilometers.", "en"),
        ("Prices rose by 3.5% in a year, then 1.5 times more.", "en"),
        ("طهر الجيش بين 1,300 و1،700 كيلومتر مربع من الأرض.", "ar"),
        ("طهر الجيش نحو ١٬٧٠٠ كيلومتر مربع من الأرض.", "ar"),
        ("ارتفعت الأسعار بنسبة 3.5% خلال عام، أي 1.5 ضعف.", "ar"),
        ("ارتفعت الأسعار بنسبة ٣٫٥٪ خلال عام.", "ar"),
    ],
)
def test_numbers_with_separators_never_split(text: str, lang: str) -> None:
    second = "The next day the town fell." if lang == "en" else "في اليوم التالي سقطت البلدة."
    assert texts(f"{text} {second}", lang) == [text, second]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("هل سقطت المدينة؟ نعم سقطت.", ["هل سقطت المدينة؟", "نعم سقطت."]),
        ("سقطت المدينة! واحتفل السكان.", ["سقطت المدينة!", "واحتفل السكان."]),
        ("تقدم الجيش؛ وانسحب التنظيم من الحي.", ["تقدم الجيش؛ وانسحب التنظيم من الحي."]),
        ("قال المحافظ «دخل الجيش المدينة.» ثم غادر.",
         ["قال المحافظ «دخل الجيش المدينة.»", "ثم غادر."]),
        ("أكد المصدر أن “الحصار انتهى.” وعاد الهدوء.",
         ["أكد المصدر أن “الحصار انتهى.”", "وعاد الهدوء."]),
        ('ذكرت الوكالة أن الجيش "حقق تقدما". وتابع الهجوم.',
         ['ذكرت الوكالة أن الجيش "حقق تقدما".', "وتابع الهجوم."]),
        ('ان وحدات الجيش "حققت... خلال الساعات الماضية تقدما".',
         ['ان وحدات الجيش "حققت... خلال الساعات الماضية تقدما".']),
        ("قتل د. محمد في القصف. وأصيب آخرون.", ["قتل د. محمد في القصف.", "وأصيب آخرون."]),
        ("انتهت المعركة.وقال المرصد إن القتال توقف.",
         ["انتهت المعركة.", "وقال المرصد إن القتال توقف."]),
        ("بدأ الحصار عام 2014. وانتهى عام 2017.", ["بدأ الحصار عام 2014.", "وانتهى عام 2017."]),
    ],
)
def test_arabic_punctuation_quotes_and_abbreviations(text: str, expected: list[str]) -> None:
    assert texts(text, "ar") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "the siege is over." He left.', ['He said "the siege is over."', "He left."]),
        ("The siege is over...\" He said nothing else.",
         ['The siege is over..."', "He said nothing else."]),
        ("They said it was over.” Then it was.", ["They said it was over.”", "Then it was."]),
        ("(The city fell.) Then the island.", ["(The city fell.)", "Then the island."]),
        ("Did the city fall? Yes! It fell.", ["Did the city fall?", "Yes!", "It fell."]),
    ],
)
def test_english_closing_quotes_stay(text: str, expected: list[str]) -> None:
    assert texts(text, "en") == expected


@pytest.mark.parametrize(
    ("line", "kind", "content"),
    [
        ("== Background ==", "heading", "Background"),
        ("==Background==", "heading", "Background"),
        ("= Deir ez-Zor offensive =", "heading", "Deir ez-Zor offensive"),
        ("===Capturing the city===", "heading", "Capturing the city"),
        ("# Deir ez-Zor", "heading", "Deir ez-Zor"),
        ("### Capturing the city ###", "heading", "Capturing the city"),
        ("== خلفية ==", "heading", "خلفية"),
        ("- Partof: the Battle of Deir ez-Zor", "list_item", "Partof: the Battle of Deir ez-Zor"),
        ("* item one. Item two.", "list_item", "item one. Item two."),
        ("** 16px Republican Guard", "list_item", "16px Republican Guard"),
        ("1. Battle of Mosul (2016–2017)", "list_item", "Battle of Mosul (2016–2017)"),
        ("2) second item", "list_item", "second item"),
        ("• معركة الموصل", "list_item", "معركة الموصل"),
        ("١. معركة الموصل", "list_item", "معركة الموصل"),
        ("Infobox", "sentence", "Infobox"),
        ("2017 Mayadin offensive", "sentence", "2017 Mayadin offensive"),
    ],
)
def test_headings_and_list_lines(line: str, kind: str, content: str) -> None:
    doc = Document(id="t", text=f"Intro text.\n{line}\nClosing text.", lang="en")
    sents = segment(doc)
    check_invariants(doc, sents)
    assert [(s.kind, s.text) for s in sents] == [
        ("sentence", "Intro text."), (kind, content), ("sentence", "Closing text.")
    ]


def test_setext_heading_and_rules() -> None:
    text = "Battle\n======\n\nThe army won.\n\n----\nAftermath\n---\nPeace."
    doc = Document(id="t", text=text, lang="en")
    assert [(s.kind, s.text) for s in segment(doc)] == [
        ("heading", "Battle"), ("sentence", "The army won."), ("heading", "Aftermath"),
        ("sentence", "Peace."),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2029"])
def test_line_breaks_end_segments_and_blank_lines_give_nothing(newline: str) -> None:
    lines = ["في 17 أكتوبر، أمن الجيش السوري محيطا في المدينة[5]", "", "   ",
             "في 3 نوفمبر، سيطر الجيش السوري على المدينة"]  # fmt: skip
    doc = Document(id="t", text=newline.join(lines) + newline * 3, lang="ar")
    sents = segment(doc)
    check_invariants(doc, sents)
    assert [s.text for s in sents] == [lines[0], lines[3]]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "----\n====\n"])
def test_nothing_visible_gives_no_segments(text: str) -> None:
    assert segment(Document(id="t", text=text, lang="en")) == []


def test_long_line_is_cut_at_accepted_sentence_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    sentence = "On 3 Nov. the Syrian Army under Maj. Gen. Suheil al-Hassan took the city. "
    text = sentence * 400  # ~30,000 characters on one line
    monkeypatch.setattr(seg, "MAX_CHUNK_CHARS", 1_000)
    doc = Document(id="t", text=text, lang="en")
    sents = segment(doc)
    check_invariants(doc, sents)
    assert [s.text for s in sents] == [sentence.strip()] * 400


def test_line_without_any_sentence_end_is_cut_at_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    text = " ".join(["دير الزور"] * 3_000)
    monkeypatch.setattr(seg, "MAX_CHUNK_CHARS", 5_000)
    doc = Document(id="t", text=text, lang="ar")
    sents = segment(doc)
    check_invariants(doc, sents)
    assert all(len(s.text) <= 5_000 for s in sents)
    assert " ".join(s.text for s in sents) == text


def test_pipeline_is_built_lazily_and_cached() -> None:
    seg._pipeline.cache_clear()
    assert seg._pipeline.cache_info().currsize == 0
    segment(Document(id="t", text="One. Two.", lang="en"))
    segment(Document(id="t", text="Three. Four.", lang="en"))
    info = seg._pipeline.cache_info()
    assert info.currsize == 1 and info.hits >= 1


def test_segmenting_does_not_load_torch() -> None:
    """spaCy's thinc would import torch if installed; segmentation keeps it out (and leaves
    no placeholder behind, so an encoder can still import it)."""
    import subprocess
    import sys

    code = (
        "import sys; from nlp.records import Document; from nlp.segment import segment;"
        "segment(Document(id='d', text='One. Two.', lang='en'));"
        "segment(Document(id='d', text='واحد. اثنان.', lang='ar'));"
        "print('torch' in sys.modules, 'spacy' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_direction_marks_are_not_part_of_segments() -> None:
    rlm = "\u200f"
    text = f"{rlm}== خلفية =={rlm}\n{rlm}استطاع الجيش كسر الحصار. وتقدم نحو المدينة.{rlm}\n{rlm}\n"
    doc = Document(id="t", text=text, lang="ar")
    sents = segment(doc)
    check_invariants(doc, sents)
    assert [(s.kind, s.text) for s in sents] == [
        ("heading", "خلفية"),
        ("sentence", "استطاع الجيش كسر الحصار."),
        ("sentence", "وتقدم نحو المدينة."),
    ]


PUD = Path("/work/shared/data/ud_arabic_pud_ar_en.tsv")
# UD Arabic-PUD / English-PUD sentences (CC BY-SA 3.0, Universal Dependencies) whose last
# word carries tanween or ends with "%" before the period.
PUD_IDS = ["n01003012", "n01024010", "n01031005", "n01061016"]


def pud_rows() -> dict[str, dict[str, str]]:
    import csv

    if not PUD.is_file():
        pytest.skip("UD PUD benchmark file not available on this machine")
    with PUD.open(encoding="utf-8", newline="") as fh:
        return {r["sent_id"]: r for r in csv.DictReader(fh, delimiter="\t")}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_pud_sentences_joined_are_found_again(lang: str) -> None:
    rows = pud_rows()
    sentences = [rows[i][lang].strip() for i in PUD_IDS]
    got = texts(" ".join(sentences), lang)
    assert got == sentences
