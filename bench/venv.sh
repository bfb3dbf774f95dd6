#!/usr/bin/env bash
# bench/.venv with the packages of bench/requirements.txt: created when missing, brought up to date when
# requirements.txt changed since the last install (the venv keeps the hash it was installed from in a stamp
# file), otherwise nothing: a hash and a comparison. bench/run.sh and bench/lint.sh call it from any directory.
# Under a lock, since make lint, make test and make bench may run at the same time in the same tree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=bench/.venv
want=$(sha256sum bench/requirements.txt | cut -d' ' -f1)
current() { [ -x "$venv/bin/python" ] && cat "$venv/requirements.sha256" 2>/dev/null; }
if [ "$(current)" = "$want" ]; then
  exit 0
fi
mkdir -p "$venv"
exec 9>"$venv/.lock"
flock 9
if [ "$(current)" != "$want" ]; then  # another run may have installed it while this one waited
  echo "bench: installing bench/requirements.txt into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r bench/requirements.txt
  echo "$want" >"$venv/requirements.sha256"
fi
