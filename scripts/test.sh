#!/usr/bin/env bash
# The whole test suite (unit tests, notebooks under nbval). Creates .venv itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test,notebooks
exec .venv/bin/python -m pytest "$@"
