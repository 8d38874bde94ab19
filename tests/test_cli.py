"""The `tabayyun` command: outputs, exit codes, and clear errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "schema" / "comparison.schema.json").read_text("utf-8"))
FAKE = ["--model", "hashing"]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABAYYUN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TABAYYUN_DB_URL", raising=False)


def test_corpus_list_names_the_demo_documents(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["corpus", "list"]) == 0
    out = capsys.readouterr().out
    for doc_id in ("en-wiki", "ar-wiki", "ar-news-nov", "ar-news-sep"):
        assert doc_id in out
    assert "CC BY-SA" in out


def test_compare_json_to_file_follows_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "o.json"
    assert main(["-q", "compare", "en-wiki", "en-wiki", *FAKE, "--out", str(out)]) == 0
    doc = json.loads(out.read_text("utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert doc["documents"]["left"]["source"] == "en-wiki"
    assert doc["mode"] == "translation"
    assert not [f for f in doc["findings"] if f["status"] == "conflict"]


@pytest.mark.parametrize("fmt,marker", [("md", "#"), ("html", "<html"), ("csv", "kind")])
def test_compare_report_formats(
    fmt: str, marker: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-q", "compare", "ar-news-sep", "ar-news-nov", *FAKE, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert marker in out.lower() or marker in out


def test_batch_writes_one_json_per_row_and_loads_the_encoder_once(tmp_path: Path) -> None:
    text = (ROOT / "corpus" / "demo").glob("*.txt")
    assert list(text)
    own = tmp_path / "mine.txt"
    own.write_text("On 3 November, Syrian government forces completely captured the city.\n",
                   encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("name,left,right\nwiki,ar-wiki,en-wiki\nmine,mine.txt,en-wiki\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    assert main(["-q", "batch", str(manifest), "--out", str(out), *FAKE]) == 0
    for name in ("wiki", "mine"):
        jsonschema.validate(json.loads((out / f"{name}.json").read_text("utf-8")), SCHEMA)


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" * 20, "not a text document"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    content: bytes, expected: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert main(["compare", str(bad), "en-wiki", *FAKE]) == 2
    assert expected in caplog.text.lower()


def test_unknown_document_names_the_demo_ids(caplog: pytest.LogCaptureFixture) -> None:
    assert main(["compare", "no-such-doc.txt", "en-wiki", *FAKE]) == 2
    assert "en-wiki" in caplog.text


def test_bad_policy_and_bad_manifest_exit_2(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert main(["compare", "en-wiki", "en-wiki", *FAKE, "--policy", "nonsense=1"]) == 2
    assert "Known settings" in caplog.text
    manifest = tmp_path / "m.csv"
    manifest.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["batch", str(manifest), "--out", str(tmp_path / "o"), *FAKE]) == 2
    assert "name,left,right" in caplog.text


def test_no_traceback_for_bad_input_in_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(bytes(range(256)) * 100)
    exe = Path(sys.executable).parent / "tabayyun"
    done = subprocess.run([str(exe), "compare", str(bad), "en-wiki", *FAKE],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.strip()
