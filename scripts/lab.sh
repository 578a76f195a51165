#!/usr/bin/env bash
# Open JupyterLab on notebooks/ with a Vietnamese interface (jupyterlab-language-pack-vi-vn).
# Usage: bash scripts/lab.sh [more jupyter lab options, e.g. --no-browser --port 8890]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh notebooks
# JupyterLab reads default settings from <sys.prefix>/share/jupyter/lab/settings/overrides.json:
# set the interface language there (merged into an existing file, other settings kept).
.venv/bin/python - <<'PY'
import json, sys
from pathlib import Path
p = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
p.parent.mkdir(parents=True, exist_ok=True)
data = json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
data.setdefault("@jupyterlab/translation-extension:plugin", {})["locale"] = "vi_VN"
p.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
PY
exec .venv/bin/jupyter lab --notebook-dir=notebooks "$@"
