"""The bundled demo corpus (`corpus/demo/`): four accounts of the 2017 Deir ez-Zor offensive.

`corpus/demo/manifest.json` lists each document with its source, licence and (inferred)
publication date; `corpus/demo/SOURCES.md` says the same for humans. Files are read with
`importlib.resources`, so the corpus works from an installed package too.

Example:
    >>> [e.id for e in list_demo()]
    ['en-wiki', 'ar-wiki', 'ar-news-nov', 'ar-news-sep']
    >>> load_demo("ar-news-nov").published
    '2017-11-03'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from corpus.readers import read_bytes, read_path
from nlp.errors import ConfigError, InputError
from nlp.records import LANGS, Document, Lang

MANIFEST = "manifest.json"
_REQUIRED = ("id", "file", "lang", "title", "source", "licence", "published", "published_note")


@dataclass(frozen=True, slots=True)
class DemoEntry:
    """One demo document as the manifest describes it.

    Attributes:
        id: Demo id, e.g. "en-wiki".
        title: Human title.
        lang: "ar" or "en".
        source: Where the text comes from (with the URL or a search hint).
        licence: Licence and attribution.
        published: ISO date, or None for the Wikipedia articles.
        published_note: How the publication date was established.
        path: The file inside the installed package.
        url: The source URL when one is known exactly.
        seed: Name of the seed file the text was copied from.
    """

    id: str
    title: str
    lang: Lang
    source: str
    licence: str
    published: str | None
    published_note: str
    path: Path
    url: str | None = None
    seed: str = ""


def _demo_dir() -> Traversable:
    return resources.files("corpus").joinpath("demo")


@lru_cache(maxsize=1)
def _entries() -> tuple[DemoEntry, ...]:
    """Parse and check the manifest once."""
    where = _demo_dir()
    try:
        data = json.loads(where.joinpath(MANIFEST).read_text(encoding="utf-8"))
        rows = data["documents"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"The demo manifest corpus/demo/{MANIFEST} is missing or broken ({exc}); "
            "reinstall Tabayyun or restore the file from git."
        ) from exc
    out: list[DemoEntry] = []
    for row in rows:
        missing = [k for k in _REQUIRED if k not in row]
        if missing or row["lang"] not in LANGS:
            raise ConfigError(
                f"Demo manifest entry {row.get('id', '?')!r} lacks {missing} or has an unknown "
                f"language; fix corpus/demo/{MANIFEST}."
            )
        out.append(
            DemoEntry(
                id=row["id"],
                title=row["title"],
                lang=row["lang"],
                source=row["source"],
                licence=row["licence"],
                published=row["published"],
                published_note=row["published_note"],
                path=Path(str(where.joinpath(row["file"]))),
                url=row.get("url"),
                seed=row.get("seed", ""),
            )
        )
    return tuple(out)


def list_demo() -> list[DemoEntry]:
    """The demo documents in manifest order (English article first)."""
    return list(_entries())


def demo_ids() -> list[str]:
    """Ids of the demo documents, e.g. ``['en-wiki', 'ar-wiki', ...]``."""
    return [e.id for e in _entries()]


@lru_cache(maxsize=16)
def load_demo(doc_id: str) -> Document:
    """Read one demo document (cached) with its manifest metadata.

    Args:
        doc_id: A demo id from `demo_ids()`.

    Returns:
        The `Document`, with `id == doc_id`, title, source, licence and published date.

    Raises:
        InputError: `doc_id` is not a demo id; the message lists the ids.
    """
    for entry in _entries():
        if entry.id == doc_id:
            file = _demo_dir().joinpath(entry.path.name)
            return read_bytes(
                file.read_bytes(),
                entry.path.name,
                lang=entry.lang,
                title=entry.title,
                source=entry.source,
                published=entry.published,
                doc_id=entry.id,
                licence=entry.licence,
            )
    raise InputError(
        f"No demo document {doc_id!r}; the demo ids are {', '.join(demo_ids())} "
        "(`tabayyun corpus list` shows them)."
    )


def resolve(ref: str, *, lang: str | None = None) -> Document:
    """A demo id or a file path, as a `Document`.

    Args:
        ref: A demo id ("en-wiki") or the path of a text, Markdown, wiki or HTML file.
        lang: Language to use instead of the detected (or, for demo documents, the
            recorded) one.

    Raises:
        InputError: `ref` is neither a demo id nor an existing file; the message names the
            demo ids and the path that was tried. See also `corpus.readers.read_bytes`.

    >>> resolve("en-wiki").lang
    'en'
    """
    if ref in demo_ids():
        doc = load_demo(ref)
        if lang is not None and lang != doc.lang:
            if lang not in LANGS:
                raise ConfigError(f"Unknown language {lang!r}; use one of {', '.join(LANGS)}.")
            return replace(doc, lang=lang)
        return doc
    path = Path(ref).expanduser()
    if path.exists():
        return read_path(path, lang=lang)
    raise InputError(
        f"{ref!r} is neither a demo document ({', '.join(demo_ids())}) nor an existing file "
        f"(tried {path.resolve()}); give a demo id or the path of a document."
    )
