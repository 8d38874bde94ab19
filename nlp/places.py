"""Gazetteer, place relations and cross-lingual place anchoring.

The gazetteer (`nlp/data/gazetteer/places_ar_en.tsv`, GeoNames + OpenSyria + Wikidata, with
`curated_places.tsv` on top) is loaded once, lazily, and indexed by compact normalised
Arabic name, compact normalised Latin name and consonant skeleton (`nlp.translit`). The
built index is cached as a pickle in the user's data dir (`cache_path`; about 0.1 s to read
against about 1 s to build), keyed by the hash of the data files and of the code that
computes the keys.

Containment (`PlaceValue.within`) links the sources: a SY GeoNames city lies within the
OpenSyria sub-district (ADM3) and district (ADM2) of the same name in its governorate, within
the governorate (ADM1, joined on `admin1`) and within its country. So the city of
Deir ez-Zor, the Deir ez-Zor district and the Deir ez-Zor Governorate are three places, and
`relate` says which contains which.

>>> city = lookup("مدينة دير الزور", "ar")[0]
>>> region = lookup("Deir ez-Zor Governorate", "en")[0]
>>> relate(city, region)
'contained_in'
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import logging
import os
import pickle
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from nlp.errors import ConfigError
from nlp.lang.places import LANG_DIR, exonyms, generic_place_words, place_cues
from nlp.normalize import normalize_ar, normalize_en
from nlp.policy import DEFAULT_POLICY, ComparePolicy, Verdict
from nlp.records import Lang, Mention, PlaceRelation, PlaceValue
from nlp.translit import (
    SHORT_KEY,
    full_key_ar,
    full_key_en,
    same_key_score,
    skeleton,
    skeleton_ar,
    skeleton_en,
    word_keys,
    word_skeletons,
)

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data" / "gazetteer"
MAIN_FILE = DATA_DIR / "places_ar_en.tsv"
CURATED_FILE = DATA_DIR / "curated_places.tsv"
TRANSLIT_PREFIX = "translit:"
FULL_KEY_MIN = 0.9  # full-key similarity a 3-letter skeleton match must also reach
TRANSLIT_SAME = 0.85  # skeleton similarity above which two transliterated places are the same

PRIORITY_COUNTRIES = ("SY", "IQ")
# Without a cue, a bare name most often means the populated place (Raqqa = the city).
FEATURE_RANK = {
    "country": 0, "river": 1, "city": 2, "town": 3, "island": 4, "village": 5,
    "neighbourhood": 6, "region": 7, "district": 8,
}
# Which features a cue category admits (the cue "governorate" -> the region row).
CUE_FEATURES: dict[str, frozenset[str]] = {
    "city": frozenset({"city", "town"}),
    "town": frozenset({"town", "city", "village"}),
    "village": frozenset({"village", "town"}),
    "district": frozenset({"district", "neighbourhood"}),
    "neighbourhood": frozenset({"neighbourhood", "district"}),
    "island": frozenset({"island"}),
    "river": frozenset({"river"}),
    "governorate": frozenset({"region"}),
    "countryside": frozenset({"region", "city", "town", "district"}),
}
# Words of administrative names that are not part of the place's own name.
_ADMIN_WORDS_AR = ("ناحيه مركز ", "مركز ", "ناحيه ", "منطقه ", "محافظه ")
_LATIN_ARTICLE = re.compile(
    r"^(?:al|el|ar|as|ash|ad|adh|az|at|ath|an|ez|es|ed|er|en)[-\s'’]+(?=\w)", re.IGNORECASE
)
_ADMIN_WORDS_EN = re.compile(r"\b(subdistrict|district|governorate|nahiyat markaz|nahiyat)\b")


MAJOR_POPULATION = 500_000  # a city this big is what its bare name means, anywhere


def is_major(e: GazetteerEntry) -> bool:
    """Countries, governorates, rivers and cities of `MAJOR_POPULATION` or more."""
    return e.feature in ("country", "region", "river") or (
        e.feature == "city" and e.population >= MAJOR_POPULATION
    )


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One gazetteer row with its names split by script and its containment resolved."""

    id: str
    name_en: str
    name_ar: str
    names_en: tuple[str, ...]
    names_ar: tuple[str, ...]
    feature: str
    country: str
    admin1: str
    population: int
    source: str
    within: tuple[str, ...] = ()

    @property
    def curated(self) -> bool:
        return self.source.startswith("curated by Tabayyun")

    def to_value(self) -> PlaceValue:
        """The `PlaceValue` a mention carries."""
        key = skeleton_en(self.name_en) if self.name_en else skeleton_ar(self.name_ar)
        return PlaceValue(
            id=self.id,
            name_en=self.name_en,
            name_ar=self.name_ar,
            feature=self.feature,
            within=self.within,
            key=key,
        )


@lru_cache(maxsize=131072)
def compact_en(name: str) -> str:
    """Latin name for exact lookup: lower-case, no diacritics, letters and digits only.

    >>> compact_en("Deir Ez-Zor"), compact_en("Dayr az-Zawr's")
    ('deirezzor', 'dayrazzawr')
    """
    text = normalize_en(name)
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[^a-z0-9]", "", text)


@lru_cache(maxsize=131072)
def compact_ar(name: str) -> str:
    """Arabic name for exact lookup: `normalize_ar`, no spaces, no tatweel or `_`.

    >>> compact_ar("دير_الزور") == compact_ar("ديرالزور")
    True
    """
    return re.sub(r"[\s_\-]", "", normalize_ar(name))


def split_cue(name: str, lang: Lang) -> tuple[str, str] | None:
    """Split a leading cue word off a name: ("مدينة دير الزور") -> ("دير الزور", "city").

    English also accepts "the city of X" and a trailing cue ("X Governorate").

    >>> split_cue("the city of Deir ez-Zor", "en")
    ('Deir ez-Zor', 'city')
    """
    cues = place_cues(lang)
    words = name.split()
    if len(words) < 2:
        return None
    if lang == "ar":
        cue = cues.get(normalize_ar(words[0]))
        return (" ".join(words[1:]), cue.category) if cue else None
    low = [normalize_en(w) for w in words]
    if low[0] == "the":
        words, low = words[1:], low[1:]
    if len(words) >= 3 and low[1] == "of" and low[0] in cues and cues[low[0]].position != "after":
        return " ".join(words[2:]), cues[low[0]].category
    last = cues.get(low[-1])
    if last and last.position != "before" and len(words) >= 2:
        return " ".join(words[:-1]), last.category
    first = cues.get(low[0])
    if first and first.position != "after" and len(words) >= 2:
        return " ".join(words[1:]), first.category
    return None


def _is_arabic(name: str) -> bool:
    return bool(re.search(r"[\u0600-\u06FF]", name))


def _base_ar(name: str) -> str:
    """Arabic name without the administrative words (مركز دير الزور -> دير الزور)."""
    text = " ".join(normalize_ar(name).split())
    for word in _ADMIN_WORDS_AR:
        if text.startswith(word):
            text = text[len(word):]
    return text.replace(" ", "")


def _base_en(name: str) -> str:
    return compact_en(_ADMIN_WORDS_EN.sub(" ", normalize_en(name)))


def _read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise ConfigError(
            f"Gazetteer file {path} is missing; restore nlp/data/gazetteer/ from the repository."
        )
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split_names(row: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names = [row["name_en"], row["name_ar"], *(row.get("aliases") or "").split("|")]
    en: list[str] = []
    ar: list[str] = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        (ar if _is_arabic(name) else en).append(name)
    return tuple(dict.fromkeys(en)), tuple(dict.fromkeys(ar))


class Gazetteer:
    """Places with Arabic and Latin names, indexed for lookup; build with `load_gazetteer`.

    Attributes:
        entries: {id: GazetteerEntry}, about 3,400 rows.
    """

    def __init__(self, entries: dict[str, GazetteerEntry]) -> None:
        self.entries = entries
        self._by_ar: dict[str, list[str]] = defaultdict(list)
        self._by_en: dict[str, list[str]] = defaultdict(list)
        self._by_skel: dict[str, list[str]] = defaultdict(list)
        for entry in entries.values():
            self._index(entry)

    def _index(self, entry: GazetteerEntry) -> None:
        for name in entry.names_ar:
            self._add(self._by_ar, compact_ar(name), entry.id)
        for name in entry.names_en:
            key = compact_en(name)
            self._add(self._by_en, key, entry.id)
            skel = skeleton_en(name)
            if len(skel) >= SHORT_KEY:
                self._add(self._by_skel, skel, entry.id)
        if entry.name_ar:
            skel = skeleton_ar(entry.name_ar)
            if len(skel) >= SHORT_KEY:
                self._add(self._by_skel, skel, entry.id)

    @staticmethod
    def _add(index: dict[str, list[str]], key: str, entry_id: str) -> None:
        if key and entry_id not in index[key]:
            index[key].append(entry_id)

    # ------------------------------------------------------------------ lookups

    def exact(self, name: str, lang: Lang) -> list[GazetteerEntry]:
        """Entries with `name` among their names (compact normalised comparison)."""
        if lang == "ar":
            ids = list(self._by_ar.get(compact_ar(name), ()))
        else:
            ids = list(self._by_en.get(compact_en(name), ()))
            bare = _LATIN_ARTICLE.sub("", name.strip())
            if bare != name.strip():
                # "Ar-Raqqa" is also "Raqqa": the article is optional in English.
                ids += [i for i in self._by_en.get(compact_en(bare), ()) if i not in ids]
        return [self.entries[i] for i in ids]

    def by_skeleton(self, key: str) -> list[GazetteerEntry]:
        """Entries one of whose names has consonant skeleton `key` (3 letters or more)."""
        if len(key) < SHORT_KEY:
            return []
        return [self.entries[i] for i in self._by_skel.get(key, ())]

    def _skeleton_matches(self, name: str, lang: Lang) -> list[GazetteerEntry]:
        """Entries whose skeleton equals that of `name`; for a short skeleton (3 letters)
        also one of their full keys must be close (Mayadin and Maadan share `mdn`)."""
        key = skeleton_ar(name) if lang == "ar" else skeleton_en(name)
        found = self.by_skeleton(key)
        if len(key) > SHORT_KEY or not found:
            return found
        fulls = (full_key_ar(name),) if lang == "ar" else full_key_en(name)
        out = []
        for e in found:
            theirs = [full_key_ar(n) for n in e.names_ar]
            theirs += [k for n in e.names_en for k in full_key_en(n)]
            if any(fuzz.ratio(a, b) >= FULL_KEY_MIN * 100 for a in fulls for b in theirs):
                out.append(e)
        return out

    def has_name(self, name: str, lang: Lang) -> bool:
        """Whether `name` is, exactly, a name of some entry."""
        return bool(self.exact(name, lang))

    def may_start_name(self, first: str, lang: Lang) -> bool:
        """Whether some name of some entry can begin with the word `first` (a necessary
        condition for `has_name(first + rest)`): a prefix test over the sorted compact keys,
        so extraction skips at once the words that begin no place name.

        >>> g = load_gazetteer()
        >>> g.may_start_name("Deir", "en"), g.may_start_name("yesterday", "en")
        (True, False)
        """
        if lang == "ar":
            heads = [compact_ar(first)]
            keys = self._sorted_keys("ar", self._by_ar)
        else:
            head = compact_en(first)
            if len(head) <= 3:  # "Al", "Ar", "The": an article may fold into the next word
                return True
            heads = [head, compact_en(_LATIN_ARTICLE.sub("", first.strip()))]
            keys = self._sorted_keys("en", self._by_en)
        for h in heads:
            if not h:
                return True
            at = bisect.bisect_left(keys, h)
            if at < len(keys) and keys[at].startswith(h):
                return True
        return False

    def _sorted_keys(self, lang: str, index: dict[str, list[str]]) -> list[str]:
        cache = self.__dict__.setdefault("_sorted", {})
        if lang not in cache:
            cache[lang] = sorted(index)
        return cache[lang]

    def lookup(self, name: str, lang: Lang, *, cue: str | None = None) -> list[PlaceValue]:
        """Places called `name`, best first.

        Exact name matches come with the entries of the same country whose skeleton is the
        same (Khasham finds the town spelt Khushām as well as the sub-district); without an
        exact match, skeleton matches alone. Ranking: features the cue admits, then Syria
        and Iraq, then feature (city > town > village > district), exact before skeleton,
        then population.

        Args:
            name: The name as written ("Dayr al-Zawr", "الميادين").
            lang: Script of `name`.
            cue: Category of a cue word next to the name ("city", "governorate"), if any.

        Returns:
            Candidate places, best first; [] when nothing matches.

        >>> lookup("محافظة دير الزور", "ar")[0].feature
        'region'
        """
        exact = self.exact(name, lang)
        if not exact:
            split = split_cue(name, lang)
            if split is not None:
                name, cue = split[0], cue or split[1]
                exact = self.exact(name, lang)
        skel = self._skeleton_matches(name, lang)
        if exact:
            countries = {e.country for e in exact}
            skel = [e for e in skel if e.country in countries]
        exact_ids = {e.id for e in exact}
        cands = list({e.id: e for e in [*exact, *skel]}.values())
        admits = CUE_FEATURES.get(cue or "", frozenset())

        def rank(e: GazetteerEntry) -> tuple[int, int, int, int, int]:
            return (
                0 if not admits or e.feature in admits else 1,
                0 if e.country in PRIORITY_COUNTRIES or is_major(e) else 1,
                FEATURE_RANK.get(e.feature, 9),
                0 if e.id in exact_ids else 1,
                -e.population,
            )

        return [e.to_value() for e in sorted(cands, key=rank)]

    def get(self, place_id: str) -> GazetteerEntry | None:
        return self.entries.get(place_id)


# --------------------------------------------------------------------------- loading


def _entry(row: dict[str, str], within: tuple[str, ...] = ()) -> GazetteerEntry:
    names_en, names_ar = _split_names(row)
    pop = row.get("population") or ""
    return GazetteerEntry(
        id=row["id"],
        name_en=row["name_en"].strip(),
        name_ar=row["name_ar"].strip(),
        names_en=names_en,
        names_ar=names_ar,
        feature=row["feature"].strip(),
        country=row["country"].strip(),
        admin1=(row.get("admin1") or "").strip(),
        population=int(float(pop)) if pop.strip() else 0,
        source=row.get("source") or "",
        within=within,
    )


def _merge(base: GazetteerEntry, extra: GazetteerEntry) -> GazetteerEntry:
    """A curated row with an existing id adds names (and containment) to that row."""
    return GazetteerEntry(
        id=base.id,
        name_en=base.name_en,
        name_ar=base.name_ar,
        names_en=tuple(dict.fromkeys([*base.names_en, *extra.names_en])),
        names_ar=tuple(dict.fromkeys([*base.names_ar, *extra.names_ar])),
        feature=base.feature,
        country=base.country,
        admin1=base.admin1,
        population=base.population,
        source=f"{base.source}; names added: {extra.source}",
        within=base.within or extra.within,
    )


def _admin1_slug(country: str, admin1: str) -> str:
    return f"admin1:{country}:{compact_en(admin1)}"


def _containment(entries: dict[str, GazetteerEntry]) -> dict[str, GazetteerEntry]:
    """Resolve `within` for every entry (explicit curated `within` is kept and closed)."""
    country_id = {e.country: e.id for e in entries.values() if e.feature == "country"}
    region_id = {
        e.admin1: e.id for e in entries.values() if e.id.startswith("opensyria:adm1:")
    }
    adm2 = [e for e in entries.values() if e.id.startswith("opensyria:adm2:")]
    adm3 = [e for e in entries.values() if e.id.startswith("opensyria:adm3:")]
    # Sub-districts and districts by (governorate, base name), for linking cities to them.
    admin_by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in [*adm3, *adm2]:
        for name in e.names_ar:
            admin_by_name[(e.admin1, "ar:" + _base_ar(name))].append(e.id)
        for name in e.names_en:
            admin_by_name[(e.admin1, "en:" + _base_en(name))].append(e.id)

    def upper(e: GazetteerEntry) -> list[str]:
        out = []
        if e.country == "SY" and e.admin1 in region_id and not e.id.startswith("opensyria:adm1:"):
            out.append(region_id[e.admin1])
        elif e.admin1 and e.country in country_id and e.feature not in ("country", "region"):
            out.append(_admin1_slug(e.country, e.admin1))
        if e.country in country_id and e.feature != "country":
            out.append(country_id[e.country])
        return out

    within: dict[str, list[str]] = {}
    for e in entries.values():
        chain: list[str] = list(e.within)
        if e.id.startswith("opensyria:adm3:"):
            slug = e.id.split(":", 2)[2]
            parents = [p.id for p in adm2 if slug.startswith(p.id.split(":", 2)[2] + "-")]
            chain.extend(sorted(parents, key=len, reverse=True)[:1])
        elif e.country == "SY" and e.feature in ("city", "town", "village") and not e.within:
            for name in e.names_ar:
                chain.extend(admin_by_name.get((e.admin1, "ar:" + _base_ar(name)), ()))
            for name in e.names_en:
                chain.extend(admin_by_name.get((e.admin1, "en:" + _base_en(name)), ()))
        chain.extend(upper(e))
        within[e.id] = list(dict.fromkeys(i for i in chain if i != e.id))

    # Close the relation: whatever contains a parent contains the child.
    def closure(pid: str, seen: frozenset[str]) -> list[str]:
        out: list[str] = []
        for p in within.get(pid, ()):
            if p in seen:
                continue
            out.append(p)
            out.extend(closure(p, seen | {p}))
        return out

    result = {}
    for e in entries.values():
        chain = list(dict.fromkeys(closure(e.id, frozenset({e.id}))))
        result[e.id] = GazetteerEntry(
            id=e.id, name_en=e.name_en, name_ar=e.name_ar, names_en=e.names_en,
            names_ar=e.names_ar, feature=e.feature, country=e.country, admin1=e.admin1,
            population=e.population, source=e.source, within=tuple(chain),
        )
    return result


def build_gazetteer(
    main_rows: Iterable[dict[str, str]],
    curated_rows: Iterable[dict[str, str]] = (),
    exonym_pairs: Iterable[tuple[str, str]] = (),
) -> Gazetteer:
    """Build a `Gazetteer` from rows (the TSV columns) and exonym pairs.

    Curated rows with a new id are added; with an existing id they add names. An exonym
    pair adds its other-language name to every row that has one of its names, and the
    `within` column of curated rows (ids joined by `|`) sets their containment.

    Raises:
        ConfigError: a row lacks an id, a name or a feature.
    """
    entries: dict[str, GazetteerEntry] = {}
    for row in main_rows:
        named = row.get("name_en") or row.get("name_ar")
        if not row.get("id") or not row.get("feature") or not named:
            raise ConfigError(
                f"Gazetteer row {row!r} lacks an id, a name or a feature; fix the file."
            )
        entries[row["id"]] = _entry(row)
    for row in curated_rows:
        if not row.get("id") or not row.get("feature"):
            raise ConfigError(
                f"Curated row {row!r} lacks an id or a feature; fix curated_places.tsv."
            )
        within = tuple(i for i in (row.get("within") or "").split("|") if i)
        extra = _entry(row, within)
        entries[row["id"]] = _merge(entries[row["id"]], extra) if row["id"] in entries else extra
    en_index: dict[str, list[str]] = defaultdict(list)
    ar_index: dict[str, list[str]] = defaultdict(list)
    for e in entries.values():
        for n in e.names_en:
            en_index[compact_en(n)].append(e.id)
        for n in e.names_ar:
            ar_index[compact_ar(n)].append(e.id)
    for en, ar in exonym_pairs:
        en_ids = set(en_index.get(compact_en(en), ()))
        ar_ids = set(ar_index.get(compact_ar(ar), ()))
        for eid in en_ids - ar_ids:
            entries[eid] = _with_names(entries[eid], ar=(ar,))
        for eid in ar_ids - en_ids:
            entries[eid] = _with_names(entries[eid], en=(en,))
    return Gazetteer(_containment(entries))


def _with_names(
    e: GazetteerEntry, en: tuple[str, ...] = (), ar: tuple[str, ...] = ()
) -> GazetteerEntry:
    return GazetteerEntry(
        id=e.id, name_en=e.name_en, name_ar=e.name_ar,
        names_en=tuple(dict.fromkeys([*e.names_en, *en])),
        names_ar=tuple(dict.fromkeys([*e.names_ar, *ar])),
        feature=e.feature, country=e.country, admin1=e.admin1, population=e.population,
        source=e.source, within=e.within,
    )


ENV_DATA_DIR = "TABAYYUN_DATA_DIR"  # the same variable as corpus.config (not importable here)
ENV_NO_CACHE = "TABAYYUN_NO_GAZETTEER_CACHE"
DEFAULT_DATA_DIR = Path("~/.local/share/tabayyun")
# What the built index depends on: the data files and the code that computes its keys.
_CACHE_INPUTS = (
    MAIN_FILE,
    CURATED_FILE,
    LANG_DIR / "ar" / "exonyms.tsv",
    Path(__file__),
    Path(__file__).resolve().parent / "translit.py",
    Path(__file__).resolve().parent / "normalize.py",
)


def cache_path(env: dict[str, str] | None = None) -> Path | None:
    """Where the built gazetteer is cached: `<data dir>/cache/gazetteer-<hash>.pickle`.

    The data dir is `TABAYYUN_DATA_DIR` or `~/.local/share/tabayyun` (as in
    `corpus.config.data_dir`); the hash covers the gazetteer files, the exonyms and the code
    that computes the index keys, so any change to them builds a fresh index. None when
    `TABAYYUN_NO_GAZETTEER_CACHE` is set or an input cannot be read.

    >>> cache_path({"TABAYYUN_DATA_DIR": "/tmp/t"}).parent.as_posix()
    '/tmp/t/cache'
    """
    env = dict(os.environ) if env is None else env
    if env.get(ENV_NO_CACHE):
        return None
    digest = hashlib.sha256(f"{sys.version_info[:2]}|{pickle.HIGHEST_PROTOCOL}".encode())
    try:
        for path in _CACHE_INPUTS:
            digest.update(path.read_bytes())
    except OSError:
        return None
    base = Path(env.get(ENV_DATA_DIR) or DEFAULT_DATA_DIR).expanduser()
    return base / "cache" / f"gazetteer-{digest.hexdigest()[:20]}.pickle"


def _read_cache(path: Path) -> Gazetteer | None:
    try:
        with path.open("rb") as fh:
            gaz = pickle.load(fh)  # our own file, in the user's data dir
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign file: rebuild
        log.warning("gazetteer cache %s unreadable (%s); rebuilding it", path, exc)
        return None
    return gaz if isinstance(gaz, Gazetteer) else None


def _write_cache(path: Path, gaz: Gazetteer) -> None:
    """Write atomically; a folder that cannot be written only costs the next start time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("gazetteer cache not written to %s (%s); built in memory", path, exc)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The bundled gazetteer with the curated extension and exonyms, built once.

    The built index is cached as a pickle under the user's data dir (`cache_path`), keyed
    by the hash of its inputs: a cold start reads it in about 0.1 s instead of building it
    (about 1 s). When the cache cannot be read or written the index is built in memory.

    >>> load_gazetteer().get("geonames:170794").name_en
    'Deir ez-Zor'
    """
    t0 = time.perf_counter()
    path = cache_path()
    gaz = _read_cache(path) if path is not None else None
    if gaz is not None:
        log.info("gazetteer: %d places read from %s in %.2fs", len(gaz.entries), path,
                 time.perf_counter() - t0)
        return gaz
    gaz = build_gazetteer(_read_rows(MAIN_FILE), _read_rows(CURATED_FILE), exonyms())
    log.info("gazetteer: %d places indexed in %.2fs", len(gaz.entries), time.perf_counter() - t0)
    if path is not None:
        _write_cache(path, gaz)
    return gaz


def lookup(name: str, lang: Lang, *, cue: str | None = None) -> list[PlaceValue]:
    """Places called `name` in the bundled gazetteer, best first (see `Gazetteer.lookup`)."""
    return load_gazetteer().lookup(name, lang, cue=cue)


# --------------------------------------------------------------------------- relations


def _label(p: PlaceValue) -> str:
    name = p.name_en or p.name_ar
    return f"{name} ({p.feature})" if p.feature else name


def _full_keys(p: PlaceValue) -> frozenset[str]:
    """Full transliteration keys of every name of a place (gazetteer names, else its own)."""
    entry = load_gazetteer().get(p.id)
    if entry is not None:
        return _entry_keys(entry.id)
    keys = {full_key_ar(p.name_ar)} if p.name_ar else set()
    if p.name_en:
        keys.update(full_key_en(p.name_en))
    return frozenset(k for k in keys if len(k) >= SHORT_KEY)


@lru_cache(maxsize=4096)
def _entry_keys(entry_id: str) -> frozenset[str]:
    entry = load_gazetteer().entries[entry_id]
    keys = {full_key_ar(n) for n in entry.names_ar}
    for n in entry.names_en:
        keys.update(full_key_en(n))
    return frozenset(k for k in keys if len(k) >= SHORT_KEY)


def _names(p: PlaceValue) -> tuple[str, ...]:
    """Every name of a place: its gazetteer names, else the names it carries."""
    entry = load_gazetteer().get(p.id)
    if entry is not None:
        return (*entry.names_en, *entry.names_ar)
    return tuple(n for n in (p.name_en, p.name_ar) if n)


@lru_cache(maxsize=2)
def _generic_skeletons() -> frozenset[str]:
    words = [*generic_place_words("en"), *generic_place_words("ar")]
    return frozenset(k for w in words for k in word_skeletons(w))


@lru_cache(maxsize=16384)
def _skeleton(name: str) -> str:
    return skeleton(name)


@lru_cache(maxsize=16384)
def _word_keys(name: str) -> tuple[tuple[str, str], ...]:
    return word_keys(name)


def _prefix_of(short: tuple[tuple[str, str], ...], long: tuple[tuple[str, str], ...]) -> bool:
    """Whether `short` names a specific place and is a whole-word prefix of `long`.

    Words compare by skeleton; a prefix of three consonants or fewer must also match on
    the full keys (Mayadin is not the first word of Ma'din Jadid).
    """
    n = len(short)
    if not short or n >= len(long) or [k for k, _ in long[:n]] != [k for k, _ in short]:
        return False
    joined = "".join(k for k, _ in short)
    if len(joined) < SHORT_KEY or all(k in _generic_skeletons() for k, _ in short):
        return False
    if len(joined) > SHORT_KEY:
        return True
    full_short = "".join(f for _, f in short)
    full_long = "".join(f for _, f in long[:n])
    # the threshold cross-lingual anchoring uses: Safirah/سفيرة (s-f-r / s-f-y-r) pass
    return fuzz.ratio(full_short, full_long) >= TRANSLIT_SAME * 100


def partial_name(a: PlaceValue, b: PlaceValue, surfaces: tuple[str, ...] = ()) -> bool:
    """Whether one place's name is the first word(s) of the other's, in either script.

    "Safirah" (سفيرة) and "Safirah Fawqani" (سفيرة فوقاني): one side names only part of
    the other's name. Words are compared by consonant skeleton, so the scripts may differ.
    A name made only of generic words (Deir, Tal, Ain, Abu, Kafr ...;
    `nlp/lang/*/generic_place_words.txt`) or shorter than three consonants is never such a
    part: "Deir" is not a short form of "Deir ez-Zor".

    Args:
        a, b: The two places.
        surfaces: The two mentions' surfaces (of `a`, of `b`), tried as names too.

    >>> v = lambda n: PlaceValue("translit:" + n, n, "")
    >>> partial_name(v("Safirah"), v("Safirah Fawqani")), partial_name(v("Deir"), v("Deir Hafer"))
    (True, False)
    """
    keys_a = _word_keys_of(_names(a))
    keys_b = _word_keys_of(_names(b))
    if len(surfaces) == 2:
        keys_a = keys_a | {_word_keys(surfaces[0])}
        keys_b = keys_b | {_word_keys(surfaces[1])}
    return _any_prefix(keys_a, keys_b) or _any_prefix(keys_b, keys_a)


_WordKeys = tuple[tuple[str, str], ...]


def _any_prefix(shorts: frozenset[_WordKeys], longs: frozenset[_WordKeys]) -> bool:
    """Whether `_prefix_of(x, y)` holds for some x in `shorts` and y in `longs`.

    Only a pair whose word skeletons start alike can pass, so each long name is filed
    under the skeletons of its proper prefixes and each short name looks itself up.
    """
    if not shorts or not longs:
        return False
    by_prefix = _prefix_table(longs)
    for sk, xs in _skeleton_table(shorts).items():
        for y in by_prefix.get(sk, ()):
            if any(_prefix_of(x, y) for x in xs):
                return True
    return False


@lru_cache(maxsize=4096)
def _skeleton_table(names: frozenset[_WordKeys]) -> dict[tuple[str, ...], list[_WordKeys]]:
    """The names of `names` filed under their word skeletons."""
    table: dict[tuple[str, ...], list[_WordKeys]] = defaultdict(list)
    for x in names:
        table[tuple(k for k, _ in x)].append(x)
    return dict(table)


@lru_cache(maxsize=4096)
def _prefix_table(longs: frozenset[_WordKeys]) -> dict[tuple[str, ...], list[_WordKeys]]:
    """The names of `longs` filed under the word skeletons of each of their proper prefixes."""
    table: dict[tuple[str, ...], list[_WordKeys]] = defaultdict(list)
    for y in longs:
        sk = tuple(k for k, _ in y)
        for n in range(1, len(sk)):
            table[sk[:n]].append(y)
    return dict(table)


@lru_cache(maxsize=4096)
def _word_keys_of(names: tuple[str, ...]) -> frozenset[_WordKeys]:
    """`_word_keys` of each of a place's names (`_names`)."""
    return frozenset(_word_keys(n) for n in names)


@lru_cache(maxsize=4096)
def _skeletons_of(names: tuple[str, ...]) -> frozenset[str]:
    """`skeleton` of each of a place's names (`_names`)."""
    return frozenset(_skeleton(n) for n in names)


def name_similarity(a: PlaceValue, b: PlaceValue, surfaces: tuple[str, ...] = ()) -> float:
    """How alike the names of two places are, in [0, 1], across scripts.

    The best rapidfuzz ratio between the consonant skeletons of any name of `a` and any
    name of `b` (gazetteer names and the given mention surfaces). Used to pair like with
    like when a sentence names several places: "Safirah Fawqani" is closer to سفيرة than
    to الجيعة.

    >>> v = lambda n: PlaceValue("translit:" + n, n, "")
    >>> ar = v("سفيرة")
    >>> name_similarity(v("Safirah Fawqani"), ar) > name_similarity(v("Al-Jea'a"), ar)
    True
    """
    names_a = _skeletons_of(_names(a))
    names_b = _skeletons_of(_names(b))
    if len(surfaces) == 2:
        names_a = names_a | {_skeleton(surfaces[0])}
        names_b = names_b | {_skeleton(surfaces[1])}
    choices = [y for y in names_b if y]
    if not choices:
        return 0.0
    best = 0.0
    for x in names_a:
        if x:
            found = process.extractOne(x, choices, scorer=fuzz.ratio, score_cutoff=best * 100)
            if found is not None:
                best = max(best, found[1] / 100.0)
    return best


def relate(a: PlaceValue, b: PlaceValue) -> PlaceRelation:
    """How place `a` stands to place `b`.

    Two gazetteer places are the same when their ids are equal, and one contains the other
    when its id is in the other's `within`. A place found only by transliteration
    (`translit:` id) is the same as another place when their skeletons agree
    (`same_key_score` >= 0.85).

    Returns:
        "same", "contains" (a contains b), "contained_in" (a lies in b) or "different".

    >>> city, gov = lookup("Deir ez-Zor", "en")[0], lookup("Deir ez-Zor Governorate", "en")[0]
    >>> relate(city, gov), relate(gov, city), relate(city, city)
    ('contained_in', 'contains', 'same')
    """
    if a.id == b.id:
        return "same"
    if a.id.startswith(TRANSLIT_PREFIX) or b.id.startswith(TRANSLIT_PREFIX):
        return "same" if same_key_score(a.key, b.key) >= TRANSLIT_SAME else "different"
    if b.id in a.within:
        return "contained_in"
    if a.id in b.within:
        return "contains"
    return "different"


def compare_places(
    a: PlaceValue,
    b: PlaceValue,
    policy: ComparePolicy = DEFAULT_POLICY,
    surfaces: tuple[str, ...] = (),
) -> Verdict:
    """Verdict on two places that fill the same slot in aligned sentences.

    Same place: agree. One inside the other (the city of Deir ez-Zor vs Deir ez-Zor
    Governorate): agree with a note when `policy.containment_agrees`, else conflict.
    Different places that share a name (homonyms grounded apart): agree with a low
    confidence, rule "place.same_name". One name a whole-word prefix of the other
    (`partial_name`: Safirah vs Safirah Fawqani): agree with low confidence, rule
    "place.partial_name". Different places: conflict. Confidence is lower when a side was
    found only by transliteration. `surfaces` (the two mentions' surfaces) are tried as
    names as well.

    >>> v = compare_places(lookup("الرقة", "ar")[0], lookup("Aleppo", "en")[0])
    >>> v.status, v.rule
    ('conflict', 'place.different')
    """
    rel = relate(a, b)
    translit = a.id.startswith(TRANSLIT_PREFIX) or b.id.startswith(TRANSLIT_PREFIX)
    la, lb = _label(a), _label(b)
    if rel == "different" and _full_keys(a) & _full_keys(b):
        # Two homonyms (الجبيلة: a Deir ez-Zor neighbourhood and a village elsewhere): the
        # sides use the same name, so they do not disagree; the grounding is what differs.
        reason = f"place: {la} vs {lb} (same name; the gazetteer has several such places)"
        return Verdict("agree", "place.same_name", reason, 0.6)
    if rel == "same":
        rule = "place.translit_same" if translit else "place.same"
        conf = 0.75 if translit else 0.95
        return Verdict("agree", rule, f"place: {la} vs {lb} (same place)", conf)
    if rel in ("contains", "contained_in"):
        inner, outer = (a, b) if rel == "contained_in" else (b, a)
        what = f"place: {_label(inner)} lies within {_label(outer)}"
        if policy.containment_agrees:
            return Verdict("agree", "place.containment", f"{what} (one side is coarser)", 0.85)
        reason = f"{what} (containment counts as a difference)"
        return Verdict("conflict", "place.containment_strict", reason, 0.7)
    if rel == "different" and partial_name(a, b, surfaces):
        # "Safirah" vs "Safirah Fawqani": a short form, or a typo that cut the name; the
        # sides do not contradict each other, but the grounding is uncertain.
        reason = f"place: {la} vs {lb} (one side names only part of the other's name)"
        return Verdict("agree", "place.partial_name", reason, 0.4)
    reason = f"place: {la} vs {lb} (different places)"
    return Verdict("conflict", "place.different", reason, 0.6 if translit else 0.9)


def anchor_places(
    left_text: str,
    left_offset: int,
    left_lang: Lang,
    right_text: str,
    right_offset: int,
    right_lang: Lang,
) -> tuple[list[Mention], list[Mention]]:
    """Places in an aligned pair that neither the gazetteer nor cue words found.

    See `nlp.extract.places.anchor_pair`; this is the entry point `nlp.compare` calls.

    Returns:
        (new left mentions, new right mentions), offsets into the documents.
    """
    from nlp.extract.places import anchor_pair

    return anchor_pair(left_text, left_offset, left_lang, right_text, right_offset, right_lang)
