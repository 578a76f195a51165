#!/usr/bin/env bash
# The whole test suite: unit tests, widget tests, the notebooks under nbval and the
# real-browser test. Creates .venv itself; on Debian as root it also installs Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test,notebooks,scale,spark
if [ -z "${UNIONCLEAN_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Cài Chromium (Debian) cho kiểm thử trên trình duyệt…"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chưa có Chromium: kiểm thử trên trình duyệt sẽ báo lỗi. Cài gói chromium, hoặc chạy với -m 'not browser'." >&2
  fi
fi
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Cài Java (Debian) cho kiểm thử Spark…"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "Chưa có Java: kiểm thử Spark sẽ báo lỗi. Cài Java 17, hoặc chạy với -m 'not spark'." >&2
  fi
fi
if .venv/bin/python -c 'import sys; from unionclean._native import engine; sys.exit(engine() != "compiled")'; then
  echo "Lượt 1/2: các mô-đun chính đã biên dịch (mypyc)."
  .venv/bin/python -m pytest "$@"
  echo "Lượt 2/2: cùng bộ kiểm thử với mã Python thuần (UNIONCLEAN_PURE=1), như trên máy không biên dịch được."
  UNIONCLEAN_PURE=1 exec .venv/bin/python -m pytest "$@"
fi
exec .venv/bin/python -m pytest "$@"
