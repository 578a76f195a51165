#!/usr/bin/env bash
# Main job: clean the bundled synthetic sample unit files into out/ and print a short summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh base
exec .venv/bin/unionclean clean samples/units --out out "$@"
