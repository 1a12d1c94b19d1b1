"""Score the entities layer on re3d (../shared/eval/entities/re3d.jsonl): exact-span F1.

    .venv/bin/python benchmarks/entities.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def main() -> int:
    gold = EVAL / "entities" / "re3d.jsonl"
    if not gold.is_file():
        print(f"{gold} not found: ../shared/eval must be beside the repository", file=sys.stderr)
        return 2
    score = [sys.executable, str(EVAL / "score.py")]
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        inp.write_text(subprocess.run([*score, "input", "entities", str(gold)],
                                      capture_output=True, text=True, check=True).stdout)
        subprocess.run([sys.executable, "-m", "newsint", "analyze", str(inp), "-o", str(out)], check=True)
        result = subprocess.run([*score, "entities", str(gold), str(out)], capture_output=True, text=True, check=True)
    metrics = json.loads(result.stdout[: result.stdout.rindex("}") + 1])["metrics"]
    print(json.dumps(metrics, indent=2))
    print(result.stdout.strip().splitlines()[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
