"""The `tabayyun` command line.

    tabayyun compare LEFT RIGHT [MORE ...] [--mode auto|translation|independent]
                     [--model NAME] [--format json|md|html|csv] [--out FILE]
    tabayyun batch MANIFEST.csv --out DIR
    tabayyun corpus list
    tabayyun runs
    tabayyun export RUN_ID --format md|html|csv|json|tmx [--out FILE]
    tabayyun app [--port 8501]

LEFT/RIGHT are file paths or demo corpus ids (`tabayyun corpus list`). Exit code 0 on
success, 2 on bad input with a message that says what to do; never a traceback for bad
input. Logging goes to stderr; results go to stdout or `--out`.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nlp.errors import ConfigError, InputError, TabayyunError

log = logging.getLogger("tabayyun")

PAIR_FORMATS = ("json", "md", "html", "csv")
EXPORT_FORMATS = ("md", "html", "csv", "json", "tmx")
MODES = ("auto", "translation", "independent")
DEFAULT_MODEL = "use-multilingual-v3"


# --------------------------------------------------------------------------- helpers


def _parse_policy(items: Sequence[str] | None) -> Any:
    from nlp.policy import DEFAULT_POLICY

    overrides: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(
                f"--policy takes KEY=VALUE, got {item!r} (e.g. approx_tolerance=0.2)."
            )
        overrides[key.strip()] = value.strip()
    return DEFAULT_POLICY.with_overrides(overrides) if overrides else DEFAULT_POLICY


def _load_encoder(name: str, threads: int | None) -> Any:
    from corpus.config import data_dir
    from models import load_encoder

    return load_encoder(name, threads=threads, cache_dir=data_dir() / "embeddings")


def _progress_bar(desc: str) -> tuple[Callable[[str, float], None], Callable[[], None]]:
    """A tqdm bar on stderr fed by the pipeline's `progress(stage, fraction)` callback."""
    from tqdm import tqdm

    bar = tqdm(
        total=100,
        desc=desc,
        file=sys.stderr,
        leave=False,
        disable=None,
        bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}",
    )

    def update(stage: str, fraction: float) -> None:
        bar.set_postfix_str(stage)
        bar.n = int(fraction * 100)
        bar.refresh()

    return update, bar.close


def _write_output(data: bytes, out: str | None) -> None:
    if out:
        path = Path(out)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise InputError(
                f"Cannot write {path}: {exc.strerror}. Choose another --out path."
            ) from None
        log.info("wrote %s (%d bytes)", path, len(data))
    else:
        sys.stdout.buffer.write(data)
        if not data.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()


def _resolve(ref: str, lang: str | None = None) -> Any:
    from corpus.demo import resolve

    return resolve(ref, lang=lang)


def render_comparison(comparison: Any, fmt: str, *, sources: tuple[str, str]) -> bytes:
    """Bytes of a pairwise comparison in `fmt` (json contract, or a md/html/csv report)."""
    if fmt == "json":
        from nlp.contract import comparison_to_json

        doc = comparison_to_json(comparison, left_source=sources[0], right_source=sources[1])
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    from app.export import export_comparison
    from corpus.repository import StoredFinding

    stored = [
        StoredFinding(id=i, run_id=0, index=i, finding=f) for i, f in enumerate(comparison.findings)
    ]
    return export_comparison(comparison, stored, [], fmt)


# --------------------------------------------------------------------------- commands


def cmd_compare(args: argparse.Namespace) -> int:
    refs: list[str] = args.documents
    if len(refs) < 2:
        raise InputError("compare needs at least two documents (paths or demo ids).")
    policy = _parse_policy(args.policy)
    if len(refs) > 2:
        return _compare_set(args, refs, policy)
    from nlp.pipeline import compare_documents

    left = _resolve(refs[0], args.left_lang)
    right = _resolve(refs[1], args.right_lang)
    encoder = _load_encoder(args.model, args.threads)
    update, close = _progress_bar("compare")
    try:
        comparison = compare_documents(
            left, right, encoder, mode=args.mode, policy=policy, progress=update
        )
    finally:
        close()
    log.info("mode: %s (%s)", comparison.mode, comparison.mode_reason)
    _log_summary(comparison.findings)
    if args.store:
        from corpus.store import open_repository

        run_id = open_repository().save_comparison(comparison, title=f"{refs[0]} vs {refs[1]}")
        log.info("stored as run %d (tabayyun export %d --format html)", run_id, run_id)
    _write_output(render_comparison(comparison, args.format, sources=(refs[0], refs[1])), args.out)
    return 0


def _compare_set(args: argparse.Namespace, refs: list[str], policy: Any) -> int:
    from nlp.contract import set_to_json
    from nlp.sets import compare_set

    if args.format not in ("json", "md", "html", "csv"):
        raise ConfigError(f"Unknown format {args.format!r} for a set.")
    docs = [_resolve(r) for r in refs]
    encoder = _load_encoder(args.model, args.threads)
    update, close = _progress_bar("compare set")
    try:
        result = compare_set(docs, encoder, policy=policy, progress=update)
    finally:
        close()
    if args.store:
        from corpus.store import open_repository

        run_id = open_repository().save_set(result, title=" + ".join(refs))
        log.info("stored as run %d", run_id)
    if args.format == "json":
        data = json.dumps(set_to_json(result, sources=refs), ensure_ascii=False, indent=2)
        _write_output(data.encode("utf-8"), args.out)
    else:
        from app.export_set import export_set

        _write_output(export_set(result, args.format, sources=refs), args.out)
    return 0


def _log_summary(findings: Sequence[Any]) -> None:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.status] = counts.get(f.status, 0) + 1
    log.info("findings: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")


def _read_manifest(path: Path) -> list[tuple[str, list[str]]]:
    """Rows of a batch manifest: CSV with header `name,left,right` (more columns allowed:
    further documents of a set, in `doc3`, `doc4`, ... columns)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            f"Manifest {path} not found. Give a CSV file with header name,left,right."
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"Manifest {path} is not UTF-8 text. Save it as UTF-8 CSV.") from None
    reader = csv.DictReader(text.splitlines())
    fields = [f.strip() for f in (reader.fieldnames or [])]
    if not {"name", "left", "right"} <= set(fields):
        raise InputError(
            f"Manifest {path} needs a header with name,left,right "
            f"(found: {','.join(fields) or 'none'})."
        )
    rows: list[tuple[str, list[str]]] = []
    for line_no, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        name = row.get("name", "")
        docs = [row.get("left", ""), row.get("right", "")]
        docs += [v for k, v in row.items() if k not in ("name", "left", "right") and v]
        if not name or not all(docs[:2]):
            raise InputError(f"Manifest {path}, line {line_no}: name, left and right are required.")
        if any(c in name for c in "/\\") or name in (".", ".."):
            raise InputError(
                f"Manifest {path}, line {line_no}: name {name!r} must be a plain file name."
            )
        rows.append((name, [_manifest_ref(path.parent, d) for d in docs]))
    if not rows:
        raise InputError(f"Manifest {path} has a header but no rows.")
    return rows


def _manifest_ref(base: Path, ref: str) -> str:
    """A relative path in a manifest is relative to the manifest's folder; demo ids stay."""
    candidate = base / ref
    return str(candidate) if not Path(ref).is_absolute() and candidate.exists() else ref


def cmd_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from nlp.contract import comparison_to_json
    from nlp.pipeline import compare_documents

    manifest = Path(args.manifest)
    rows = _read_manifest(manifest)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    policy = _parse_policy(args.policy)
    encoder = _load_encoder(args.model, args.threads)  # loaded once for every row
    failures = 0
    for name, refs in tqdm(rows, desc="batch", file=sys.stderr, disable=None):
        try:
            if len(refs) > 2:
                from nlp.contract import set_to_json
                from nlp.sets import compare_set

                result = compare_set([_resolve(r) for r in refs], encoder, policy=policy)
                doc = set_to_json(result, sources=refs)
            else:
                left, right = _resolve(refs[0]), _resolve(refs[1])
                comparison = compare_documents(left, right, encoder, mode=args.mode, policy=policy)
                doc = comparison_to_json(comparison, left_source=refs[0], right_source=refs[1])
        except TabayyunError as exc:
            failures += 1
            log.error("%s: %s", name, exc)
            continue
        target = out_dir / f"{name}.json"
        target.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
        log.info("%s -> %s", name, target)
    if failures:
        log.error(
            "%d of %d rows failed; the others were written to %s", failures, len(rows), out_dir
        )
        return 2
    return 0


def cmd_corpus_list(args: argparse.Namespace) -> int:
    from corpus.demo import list_demo

    entries = list_demo()
    if args.json:
        data = [
            {
                "id": e.id,
                "lang": e.lang,
                "title": e.title,
                "source": e.source,
                "licence": e.licence,
                "published": e.published,
            }
            for e in entries
        ]
        _write_output(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"), None)
        return 0
    width = max(len(e.id) for e in entries)
    lines = [f"{'id':<{width}}  lang  published   title"]
    for e in entries:
        lines.append(f"{e.id:<{width}}  {e.lang:<4}  {e.published or '-':<10}  {e.title}")
        lines.append(f"{'':<{width}}        source: {e.source}")
        lines.append(f"{'':<{width}}        licence: {e.licence}")
    _write_output("\n".join(lines).encode("utf-8"), None)
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    from corpus.store import open_repository

    runs = open_repository().list_runs()
    if not runs:
        _write_output(b"No stored runs yet: use `tabayyun compare A B --store` or the app.", None)
        return 0
    lines = ["id  created              kind  findings  conflicts  title"]
    for r in runs:
        lines.append(
            f"{r.id:<3} {r.created[:19]:<20} {r.kind:<5} {r.n_findings:>8}  "
            f"{r.n_conflicts:>9}  {r.title}"
        )
    _write_output("\n".join(lines).encode("utf-8"), None)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.export import export_comparison
    from corpus.store import open_repository

    repo = open_repository()
    run = repo.get_run(args.run_id)
    comparison = repo.load_comparison(run.id)
    data = export_comparison(
        comparison, repo.findings(run.id), repo.reviews(run.id), args.format, run=run
    )
    _write_output(data, args.out)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    import subprocess

    script = Path(__file__).with_name("streamlit_app.py")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        args.address,
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]
    log.info("Tabayyun review app on http://%s:%d (Ctrl+C to stop)", args.address, args.port)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tabayyun",
        description="Compare Arabic and English accounts of the same events, claim by claim.",
    )
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)")
    p.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--mode",
            choices=MODES,
            default="auto",
            help="translation: one document translates the other; independent: "
            "separate reports; auto: decide from the data (default)",
        )
        sp.add_argument(
            "--model",
            default=os.environ.get("TABAYYUN_ENCODER", DEFAULT_MODEL),
            help="encoder: use-multilingual-v3 (bundled, default), a local "
            "sentence-transformers folder, or a hub name (needs internet)",
        )
        sp.add_argument(
            "--threads", type=int, default=None, help="encoder threads (default: all cores)"
        )
        sp.add_argument(
            "--policy",
            action="append",
            metavar="KEY=VALUE",
            help="comparison tolerance, e.g. approx_tolerance=0.2 (repeatable)",
        )

    c = sub.add_parser("compare", help="compare two documents (or a set of three or more)")
    c.add_argument("documents", nargs="+", metavar="DOC", help="file path or demo corpus id")
    common(c)
    c.add_argument("--format", choices=PAIR_FORMATS, default="json")
    c.add_argument("--out", help="write here instead of stdout")
    c.add_argument("--left-lang", choices=("ar", "en"), help="override the detected language")
    c.add_argument("--right-lang", choices=("ar", "en"), help="override the detected language")
    c.add_argument("--store", action="store_true", help="also save the run in the database")
    c.set_defaults(func=cmd_compare)

    b = sub.add_parser("batch", help="compare every row of a CSV manifest (name,left,right)")
    b.add_argument("manifest")
    b.add_argument("--out", required=True, help="folder for NAME.json files")
    common(b)
    b.set_defaults(func=cmd_batch)

    co = sub.add_parser("corpus", help="the bundled demo corpus")
    cs = co.add_subparsers(dest="corpus_command", required=True)
    cl = cs.add_parser("list", help="list the demo documents and their sources")
    cl.add_argument("--json", action="store_true")
    cl.set_defaults(func=cmd_corpus_list)

    r = sub.add_parser("runs", help="list stored comparison runs")
    r.set_defaults(func=cmd_runs)

    e = sub.add_parser("export", help="export a stored run as a reconciliation report")
    e.add_argument("run_id", type=int)
    e.add_argument("--format", choices=EXPORT_FORMATS, default="md")
    e.add_argument("--out")
    e.set_defaults(func=cmd_export)

    a = sub.add_parser("app", help="open the review app")
    a.add_argument("--port", type=int, default=8501)
    a.add_argument("--address", default="127.0.0.1")
    a.set_defaults(func=cmd_app)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.ERROR if args.quiet else (logging.DEBUG if args.verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(message)s")
    if args.verbose < 2:
        for noisy in ("httpx", "urllib3", "huggingface_hub", "sentence_transformers", "filelock"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.func(args))
    except TabayyunError as exc:
        log.error("%s", exc)
        return exc.exit_code
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
