"""The documentation names every stage, finding kind, status and command that exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import build_parser
from nlp.records import FINDING_KINDS, STATUSES

ROOT = Path(__file__).resolve().parents[1]
ARCH = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
CONTRACT = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "module",
    ["nlp/segment.py", "nlp/align.py", "nlp/extract/", "nlp/compare.py", "nlp/pipeline.py",
     "nlp/contract.py", "nlp/sets.py", "models/", "corpus/readers.py", "corpus/store.py",
     "app/cli.py", "app/export.py"],
)
def test_every_stage_is_in_the_codemap_and_exists(module: str) -> None:
    assert f"`{module}" in ARCH
    assert (ROOT / module).exists()


@pytest.mark.parametrize("word", [*FINDING_KINDS, *STATUSES])
def test_every_finding_kind_and_status_is_documented(word: str) -> None:
    assert f"`{word}`" in CONTRACT


def test_every_command_is_in_the_readme() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert f"tabayyun {name}" in README, name


def test_readme_has_the_two_setup_commands() -> None:
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nrun:" in makefile and "\ntest:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
