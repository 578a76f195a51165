#!/usr/bin/env bash
# The no-code view of the unit-cleaning notebook (Voilà): only the text, tables and buttons are
# shown, never the code. Usage: bash scripts/voila.sh [more voila options, e.g. --no-browser --port 8866]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh notebooks
exec .venv/bin/voila notebooks/02_lam_sach_mot_don_vi.ipynb --strip_sources=True \
  --VoilaConfiguration.file_allowlist="['.*\.(png|jpg|gif|svg|xlsx|csv|yaml)']" "$@"
