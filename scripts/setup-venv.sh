#!/usr/bin/env bash
# Create .venv with Python >= 3.12 and install the pinned requirements when they change.
set -euo pipefail
venv=${1:-.venv}

usable() {  # runs, and is Python >= 3.12 with venv
  "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

find_python() {
  local c
  for c in python3.13 python3.12 python3; do
    if command -v "$c" >/dev/null 2>&1 && usable "$c"; then command -v "$c"; return 0; fi
  done
  for c in "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
           /usr/local/bin/python3.1[23] /usr/bin/python3.1[23]; do
    if [ -x "$c" ] && usable "$c"; then echo "$c"; return 0; fi
  done
  return 1
}

if [ -x "$venv/bin/python" ] && ! usable "$venv/bin/python"; then
  echo "Removing $venv: it was made with Python older than 3.12 or no longer runs."; rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  if ! py=$(find_python); then
    echo "ERROR: Python 3.12 or newer (with the venv module) is required and none was found." >&2
    echo "Install it so that python3.12 or python3.13 is on PATH, e.g. 'apt-get install python3.12-venv' or 'pyenv install 3.12'." >&2
    exit 1
  fi
  echo "Creating $venv with $("$py" --version) ($py)"
  "$py" -m venv "$venv"
fi
stamp="$venv/.requirements-$(cat requirements.txt requirements-test.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing pinned requirements into $venv ..."
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
  rm -f "$venv"/.requirements-*
  touch "$stamp"
fi
