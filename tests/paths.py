"""Where the tests find their real text, from any clean clone.

The demo documents live in `corpus/demo/` (byte copies of the project's seed documents,
named in `corpus/demo/manifest.json` by their seed file name); the UD Arabic PUD pairs
(CC BY-SA 3.0) are copied in `tests/data/`.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "corpus" / "demo"
PUD = ROOT / "tests" / "data" / "ud_arabic_pud_ar_en.tsv"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


def seed_path(prefix: str) -> Path:
    """The demo copy of the seed document whose file name starts with `prefix` ("000")."""
    manifest = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    for doc in manifest["documents"]:
        if doc["seed"].startswith(f"{prefix}_"):
            return DEMO / doc["file"]
    raise FileNotFoundError(f"no demo document comes from seed {prefix}_*")
