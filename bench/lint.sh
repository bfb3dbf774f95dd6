#!/usr/bin/env bash
# Formatting and lint of the Python under bench/ with ruff (rules and width in bench/ruff.toml), from any directory.
#   bash bench/lint.sh         check: exits non-zero, showing the diff or the rule broken, when ruff would reformat a
#                              file or a rule fails (make lint, make test)
#   bash bench/lint.sh --fix   reformat and apply ruff's safe fixes; exits non-zero if a finding is left to fix by hand
#                              (make fmt)
# bench/.venv is created or brought up to date from bench/requirements.txt first (bench/venv.sh; cheap when current).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash bench/venv.sh
ruff=bench/.venv/bin/ruff
case "${1:-}" in
  "")
    status=0
    "$ruff" format --check --diff bench || status=1  # both, so one run shows everything that is wrong
    "$ruff" check bench || status=1
    if [ "$status" != 0 ]; then
      echo "bench/lint.sh: ruff found the above; bash bench/lint.sh --fix formats and fixes what it can" >&2
    fi
    exit "$status"
    ;;
  --fix)
    status=0
    "$ruff" check --fix bench || status=1  # fixes first (e.g. import order), then the formatter has the last word
    "$ruff" format bench
    exit "$status"
    ;;
  *)
    echo "usage: bash bench/lint.sh [--fix]" >&2
    exit 2
    ;;
esac
