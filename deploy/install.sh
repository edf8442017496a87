#!/usr/bin/env bash
# A production install of kgraph in one command:  deploy/install.sh PREFIX   (or: make install-prod PREFIX=...)
#
#   PREFIX/venv/          a virtualenv of its own with kgraph and its runtime dependencies only
#                         (no test or benchmark extras, not an editable link to this checkout)
#   PREFIX/node_modules/  the browser files the app serves (npm "dependencies": YASGUI, vis-network,
#                         Swagger UI; `npm ci --omit=dev`, so no Comunica or axe-core)
#
# Then serve with assets_dir = PREFIX/node_modules (kgraph.toml or KGRAPH_ASSETS_DIR), e.g.
#   KGRAPH_ASSETS_DIR=PREFIX/node_modules PREFIX/venv/bin/kgraph serve
# Running it again upgrades the install in place to this checkout's version.
set -euo pipefail
prefix="${1:?usage: deploy/install.sh PREFIX}"
python="${PYTHON:-python3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"

# pip builds a local project in its folder, and setuptools would write build/ (kgraph's own build
# folder) and *.egg-info into the checkout: build from a copy of what the package is made of.
source="$(mktemp -d)"
trap 'rm -rf "$source"' EXIT
cp -r "$here/pyproject.toml" "$here/README.md" "$here/src" "$source/"
rm -rf "$source"/src/*.egg-info

test -x "$prefix/venv/bin/python" || "$python" -m venv "$prefix/venv"
"$prefix/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$source"

cp "$here/package.json" "$here/package-lock.json" "$prefix/"
(cd "$prefix" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)

echo "kgraph installed in $prefix: $prefix/venv/bin/kgraph (set assets_dir = \"$prefix/node_modules\")"
