"""Bytes in, `Document` out: encodings, HTML, wiki text and language detection.

`read_bytes` decides three things, in order:

1. **Is it text?** Empty input, inputs over `max_bytes` and binary files (a PNG, a ZIP, a
   PDF, or bytes with NULs that are not UTF-16, or many control characters) are refused with
   an `InputError` that says what to do instead.
2. **Which encoding?** A byte-order mark wins (UTF-8, UTF-16 LE/BE); BOM-less UTF-16 is
   recognised from its NUL bytes on one side of each code unit; then strict UTF-8; then the
   guess of `charset_normalizer`, Windows-1256 (Arabic) and Windows-1252 (Western), each
   kept only if the decoded text looks right (Arabic code pages must give Arabic letters,
   Western ones must not turn a text into accented gibberish). Nothing valid: `EncodingError`.
3. **Which format?** By extension, then by sniffing: HTML (`.html`, `.htm`, or a document
   that starts like HTML) becomes its visible text, one block a line; real MediaWiki markup
   (`[[links]]`, `{{templates}}`, `<ref>`) is reduced to its text; plain text, Markdown and
   markup-light wiki text (``== Heading ==`` lines, ``- item`` lines) stay as they are, since
   `nlp.segment` understands their headings and lists.

Line breaks are unified to ``\\n``; the text is otherwise what the file says.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import logging
import re
from pathlib import Path
from typing import Literal

from nlp.errors import ConfigError, EncodingError, InputError
from nlp.normalize import arabic_ratio
from nlp.records import LANGS, Document, Lang

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest input accepted by default (50 MiB)."""

ARABIC_RATIO_THRESHOLD = 0.3
"""A text whose letters are at least this share Arabic script is Arabic."""

Format = Literal["text", "html", "wiki"]

_SAMPLE = 64 * 1024
_ARABIC_CODECS = frozenset({"cp1256", "iso8859_6", "cp864", "cp720", "mac_arabic"})
_LATIN_CODECS = frozenset({"cp1252", "latin_1", "iso8859_15", "ascii"})
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"{\\rtf", "an RTF file"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_LATIN_EXT_RE = re.compile(r"[\u00C0-\u024F]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_HTML_SNIFF_RE = re.compile(r"^\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
_WIKI_MARKUP_RE = re.compile(r"\[\[[^\]\n]+\]\]|\{\{|<ref[\s>/]|'''|^\{\|", re.M)
_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr",
    "ul", "h1", "h2", "h3", "h4", "h5", "h6",
)  # fmt: skip
_DROPPED_TAGS = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")


# --------------------------------------------------------------------------- language


def _spread_sample(text: str, limit: int = 256 * 1024, pieces: int = 64) -> str:
    """`text` itself when short, else `pieces` slices spread evenly over it."""
    if len(text) <= limit:
        return text
    size = limit // pieces
    step = (len(text) - size) // (pieces - 1)
    return "\n".join(text[i * step : i * step + size] for i in range(pieces))


def detect_lang(text: str) -> Lang:
    """"ar" when at least `ARABIC_RATIO_THRESHOLD` of the letters are Arabic script, else "en".

    Texts over 256K characters are judged on 64 slices spread over the whole text.

    Args:
        text: Any text.

    Raises:
        InputError: the text has no letters at all, so there is nothing to decide on.

    >>> detect_lang("في 3 نوفمبر، سيطر الجيش السوري على المدينة")
    'ar'
    >>> detect_lang("On 3 November the army took the city (دير الزور).")
    'en'
    """
    text = _spread_sample(text)
    if not _LETTER_RE.search(text):
        raise InputError(
            "Cannot detect the language of a text without letters; "
            "pass lang='ar' or lang='en' (--lang on the command line)."
        )
    return "ar" if arabic_ratio(text) >= ARABIC_RATIO_THRESHOLD else "en"


# --------------------------------------------------------------------------- bytes -> text


def _binary_kind(data: bytes) -> str | None:
    """Name of a known binary format whose signature starts `data`, if any."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NULs sit on one side of the code units only, else None.

    ASCII characters (spaces, digits, Latin letters) in UTF-16 have a zero high byte, so a
    UTF-16 text has NULs at odd offsets (LE) or even offsets (BE) and almost none opposite.
    """
    sample = sample[: len(sample) - len(sample) % 2]
    if not sample:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.05 * half and even <= 0.01 * odd:
        return "utf-16-le"
    if even >= 0.05 * half and odd <= 0.01 * even:
        return "utf-16-be"
    return None


def _looks_right(text: str, encoding: str) -> bool:
    """Whether `text`, decoded with `encoding`, is plausible text in that encoding."""
    sample = text[:_SAMPLE]
    if len(_CONTROL_RE.findall(sample)) > 0.01 * max(len(sample), 1):
        return False
    letters = len(_LETTER_RE.findall(sample))
    codec = codecs.lookup(encoding).name.replace("-", "_")
    if codec in _ARABIC_CODECS:
        return arabic_ratio(sample) >= ARABIC_RATIO_THRESHOLD
    if codec in _LATIN_CODECS:
        return len(_LATIN_EXT_RE.findall(sample)) <= 0.3 * max(letters, 1)
    return True


def _decode_with(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if _looks_right(text, encoding) else None


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode bytes to text, detecting the encoding (see the module docstring).

    Args:
        data: The raw bytes (not empty).
        name: File name for messages.

    Returns:
        (text, encoding): the text without a byte-order mark, and the codec used.

    Raises:
        InputError: the bytes are a binary file.
        EncodingError: no supported encoding gives plausible text.

    >>> decode("دير الزور".encode("cp1256"))
    ('دير الزور', 'cp1256')
    >>> decode("Deir ez-Zor".encode("utf-16"))
    ('Deir ez-Zor', 'utf-16')
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise EncodingError(
                    f"{name} starts with a {enc} byte-order mark but is not valid {enc} "
                    f"({exc.reason} at byte {exc.start}); re-save it as UTF-8."
                ) from exc
    kind = _binary_kind(data)
    if kind:
        raise InputError(
            f"{name} is {kind}, not a text document; export or save it as plain text "
            "(.txt), Markdown or HTML and try again."
        )
    if b"\x00" in data[:_SAMPLE]:
        enc16 = _utf16_without_bom(data[:_SAMPLE])
        text = _decode_with(data, enc16) if enc16 else None
        if enc16 and text is not None:
            return text, enc16
        raise InputError(
            f"{name} contains NUL bytes and is not UTF-16 text: it looks like a binary file. "
            "Save the document as plain text (UTF-8) and try again."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_right(text, "utf-8"):
            return text, "utf-8"
        raise InputError(
            f"{name} has too many control characters to be a text document; "
            "save it as plain text (UTF-8) and try again."
        )
    candidates = ["cp1256", "cp1252"]
    guess = _charset_guess(data)
    if guess:
        candidates.insert(0, guess)
    for enc in dict.fromkeys(candidates):
        text = _decode_with(data, enc)
        if text is not None:
            log.info("%s decoded as %s", name, enc)
            return text, enc
    raise EncodingError(
        f"Cannot decode {name}: it is not UTF-8, UTF-16, Windows-1256 (Arabic) or "
        "Windows-1252 text. Save it as UTF-8 (in most editors: Save as > Encoding: UTF-8) "
        "and try again."
    )


def _charset_guess(data: bytes) -> str | None:
    """The codec charset-normalizer finds most likely, if it is one we support."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SAMPLE]).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name.replace("-", "_")
    if codec in _ARABIC_CODECS or codec in _LATIN_CODECS:
        return codec
    log.debug("ignoring charset-normalizer guess %s", best.encoding)
    return None


# --------------------------------------------------------------------------- formats


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document, one block element a line.

    Scripts, styles, ``<noscript>``, ``<template>``, ``<head>`` and comments are dropped
    entirely; ``<h1>``-``<h6>`` become Markdown headings and ``<li>`` become ``- `` lines so
    that `nlp.segment` keeps them as their own segments; entities are decoded.

    >>> html_to_text("<h2>Battle</h2><p>On 3 November &amp; after.<script>x()</script></p>")
    '## Battle\\n\\nOn 3 November & after.'
    """
    from bs4 import BeautifulSoup
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for node in soup.find_all(string=True):
        if isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
            node.extract()
        elif node.find_parent("pre") is None:
            # HTML collapses white space: a line break in the source is a space on screen.
            node.replace_with(re.sub(r"[ \t\r\n\f]+", " ", str(node)))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        prefix = ""
        if tag.name in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            prefix = "#" * int(tag.name[1]) + " "
        elif tag.name == "li":
            prefix = "- "
        tag.insert_before("\n\n" + prefix)
        tag.insert_after("\n\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" \t ")
    return _tidy_lines(soup.get_text())


_DATE_META = frozenset({
    "article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "pubdate", "publishdate", "publish-date", "parsely-pub-date",
    "sailthru.date", "og:published_time",
})  # fmt: skip
_ISO_DATE_RE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


def html_title(markup: str) -> str:
    """The page's own title (`og:title`, else `<title>`), whitespace folded; "" if none.

    >>> html_title("<head><title> دير الزور   محررة </title></head>")
    'دير الزور محررة'
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    og = soup.find("meta", attrs={"property": "og:title"})
    text = str(og.get("content") or "") if og is not None else ""
    if not text.strip() and soup.title is not None:
        text = soup.title.get_text()
    return " ".join(text.split())[:300]


def html_published(markup: str) -> str | None:
    """Publication date an HTML page declares about itself, as "YYYY-MM-DD", or None.

    Looks at ``<meta property|name|itemprop="article:published_time" content=...>`` (and
    the usual variants: ``datePublished``, ``DC.date.issued``, ``pubdate``, ...) and at
    ``<time itemprop="datePublished" datetime=...>``; only ISO dates are accepted.

    >>> html_published('<meta property="article:published_time" content="2017-11-03T14:20Z">')
    '2017-11-03'
    >>> html_published("<p>3 November 2017</p>") is None
    True
    """
    import datetime as dt

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    values: list[str] = []
    for meta in soup.find_all("meta"):
        key = str(meta.get("property") or meta.get("name") or meta.get("itemprop") or "")
        if key.strip().lower() in _DATE_META:
            values.append(str(meta.get("content") or ""))
    for time_tag in soup.find_all("time"):
        if str(time_tag.get("itemprop", "")).lower() == "datepublished" or time_tag.has_attr(
            "pubdate"
        ):
            values.append(str(time_tag.get("datetime") or ""))
    for value in values:
        hit = _ISO_DATE_RE.match(value)
        if hit:
            try:
                return dt.date.fromisoformat(hit.group(1)).isoformat()
            except ValueError:
                continue
    return None


def _tidy_lines(text: str) -> str:
    """Collapse runs of spaces inside lines, drop empty lines beyond one between blocks."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line in {"", "-", "#"} or re.fullmatch(r"#{1,6} ?", line):
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    return "\n".join(out).strip()


_FILE_LINK_RE = re.compile(
    r"\[\[(?:File|Image|Category|Media|ملف|صورة|تصنيف|ميديا):[^\[\]]*\]\]", re.I
)
_PIPED_LINK_RE = re.compile(r"\[\[[^\[\]|]*\|([^\[\]]*)\]\]")
_PLAIN_LINK_RE = re.compile(r"\[\[([^\[\]|]*)\]\]")
_TEMPLATE_RE = re.compile(r"\{\{[^{}]*\}\}")
_TABLE_RE = re.compile(r"\{\|(?:(?!\{\|).)*?\|\}", re.S)
_TEXT_TEMPLATES = frozenset({"nowrap", "nobr", "small", "big", "nowiki"})
_LANG_TEMPLATES = frozenset({"lang", "transl", "transliteration"})


def _expand_template(match: re.Match[str]) -> str:
    """Text of an innermost template that shows text inline, "" for any other template.

    ``{{convert|1300|km2}}`` -> ``1300 km2`` (numbers must survive: they are what Tabayyun
    compares); ``{{lang|ar|دير الزور}}`` and ``{{lang-ar|دير الزور}}`` -> the text;
    ``{{nowrap|...}}`` -> its content.
    """
    parts = [p.strip() for p in match.group()[2:-2].split("|")]
    name = parts[0].lower().replace("_", " ")
    args = [p for p in parts[1:] if "=" not in p]
    if name in {"convert", "cvt"} and len(args) >= 2:
        if len(args) >= 4 and args[1] in {"-", "to", "and", "–"}:
            return f"{args[0]}–{args[2]} {args[3]}"
        return f"{args[0]} {args[1]}"
    if name in _LANG_TEMPLATES and len(args) >= 2:
        return args[1]
    if (name.startswith("lang-") or name in _TEXT_TEMPLATES) and args:
        return args[0]
    return ""


def wiki_to_text(markup: str) -> str:
    """Reduce MediaWiki markup to readable text; headings (``== x ==``) and lists stay.

    Removes ``<ref>`` notes and comments, templates (``{{...}}``, nested; the few that show
    text inline, such as ``{{convert|1300|km2}}`` and ``{{lang|ar|...}}``, are replaced by
    that text), tables, file and category links; ``[[target|label]]`` becomes ``label``,
    ``[[target]]`` becomes ``target``, ``[http://url label]`` becomes ``label``; bold and
    italic quotes go.

    >>> wiki_to_text("'''Deir ez-Zor''' is on the [[Euphrates River|Euphrates]].<ref>x</ref>")
    'Deir ez-Zor is on the Euphrates.'
    """
    text = re.sub(r"<!--.*?-->", "", markup, flags=re.S)
    text = re.sub(r"<ref\b[^>/]*/>", "", text, flags=re.I)
    text = re.sub(r"<ref\b[^>]*>.*?</ref\s*>", "", text, flags=re.I | re.S)
    previous = None
    while previous != text:
        previous, text = text, _TEMPLATE_RE.sub(_expand_template, text)
    previous = None
    while previous != text:
        previous, text = text, _TABLE_RE.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _FILE_LINK_RE.sub("", text)
        text = _PIPED_LINK_RE.sub(r"\1", text)
        text = _PLAIN_LINK_RE.sub(r"\1", text)
    text = re.sub(r"\[(?:https?:)?//[^\s\]]+ ([^\]]+)\]", r"\1", text)
    text = re.sub(r"\[(?:https?:)?//[^\s\]]+\]", "", text)
    text = re.sub(r"'{2,5}", "", text)
    text = re.sub(r"</?(?:small|big|span|sup|sub|center|div|u|s|nowiki)\b[^>]*>", "", text)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = html.unescape(text)
    lines = [re.sub(r"(?<=\S)[ \t]{2,}", " ", line).rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def sniff_format(text: str, name: str) -> Format:
    """Format of a decoded document: by extension first, then by content.

    >>> sniff_format("== Background ==\\nText.", "a.txt")
    'text'
    >>> sniff_format("x [[Euphrates]] y", "a.txt")
    'wiki'
    >>> sniff_format("<!DOCTYPE html><p>x</p>", "page")
    'html'
    """
    suffix = Path(name).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if _HTML_SNIFF_RE.match(text[:1024]):
        return "html"
    if suffix in {".wiki", ".mediawiki"} or _WIKI_MARKUP_RE.search(text[:_SAMPLE]):
        return "wiki"
    return "text"


# --------------------------------------------------------------------------- documents


def content_id(text: str) -> str:
    """``"sha1:"`` + the first 12 hex digits of the SHA-1 of the UTF-8 text.

    >>> content_id("abc")
    'sha1:a9993e364706'
    """
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _check_size(size: int, name: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(
            f"{name} is {size:,} bytes, over the limit of {max_bytes:,} bytes; split it into "
            "smaller files or raise the limit (max_bytes=...)."
        )


def read_bytes(
    data: bytes,
    name: str,
    *,
    lang: str | None = None,
    title: str = "",
    source: str = "",
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    doc_id: str | None = None,
    licence: str = "",
) -> Document:
    """Read one document from bytes.

    Args:
        data: The file contents.
        name: File name (its extension chooses the format; its stem is the default title).
        lang: "ar" or "en"; detected from the text when None.
        title: Human title; defaults to an HTML page's own title, else the file stem.
        source: Where it came from; defaults to `name`.
        published: ISO date "YYYY-MM-DD", when known; for HTML, defaults to the date the
            page declares in its metadata (`html_published`).
        max_bytes: Inputs larger than this are refused.
        doc_id: Identifier; defaults to `content_id(text)`.
        licence: Licence of the text, when known.

    Returns:
        The `Document`.

    Raises:
        InputError: empty, too large, binary, or no language can be detected.
        EncodingError: the bytes decode in no supported encoding.
        ConfigError: `lang` or `published` has a value Tabayyun does not accept.

    Example:
        >>> doc = read_bytes("== Battle ==\\r\\nفي 3 نوفمبر".encode("utf-8-sig"), "battle.txt")
        >>> doc.lang, doc.title, doc.text
        ('ar', 'battle', '== Battle ==\\nفي 3 نوفمبر')
    """
    _check_size(len(data), name, max_bytes)
    if not data.strip():
        raise InputError(f"{name} is empty; choose a file that contains the document text.")
    if lang is not None and lang not in LANGS:
        raise ConfigError(f"Unknown language {lang!r}; use one of {', '.join(LANGS)}.")
    if published:
        _check_date(published)
    raw, encoding = decode(data, name)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    fmt = sniff_format(raw, name)
    text = html_to_text(raw) if fmt == "html" else wiki_to_text(raw) if fmt == "wiki" else raw
    if fmt == "html" and not published:
        published = html_published(raw)
    if fmt == "html" and not title:
        title = html_title(raw)
    if not text.strip():
        raise InputError(
            f"{name} has no visible text (read as {fmt}, {encoding}); "
            "check that it is the right file."
        )
    log.debug("read %s: %d bytes, %s, %s", name, len(data), encoding, fmt)
    return Document(
        id=doc_id or content_id(text),
        text=text,
        lang=lang if lang is not None else detect_lang(text),
        title=title or Path(name).stem,
        source=source or name,
        licence=licence,
        published=published or None,
    )


def _check_date(value: str) -> None:
    import datetime as dt

    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(
            f"Publication date {value!r} is not an ISO date; write it as YYYY-MM-DD."
        ) from exc


def read_path(
    path: str | Path,
    *,
    lang: str | None = None,
    title: str = "",
    source: str = "",
    published: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    doc_id: str | None = None,
    licence: str = "",
) -> Document:
    """Read one document from a file (same arguments as `read_bytes`; `source` defaults to
    the path).

    Raises:
        InputError: the path does not exist, is not a file, cannot be read, or see
            `read_bytes`.
    """
    p = Path(path)
    if not p.is_file():
        what = "is a folder, not a file" if p.is_dir() else "does not exist"
        raise InputError(f"{p} {what}; give the path of a .txt, .md, .wiki or .html file.")
    try:
        _check_size(p.stat().st_size, str(p), max_bytes)
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"Cannot read {p}: {exc.strerror}; check its permissions.") from exc
    return read_bytes(
        data,
        p.name,
        lang=lang,
        title=title,
        source=source or str(p),
        published=published,
        max_bytes=max_bytes,
        doc_id=doc_id,
        licence=licence,
    )
