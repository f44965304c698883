#!/usr/bin/env bash
# Installs what is missing, builds, checks the workflows and initialises a
# fresh demo database in demo-data/, printing what it did.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh
scripts/build.sh
echo "== casus workflows check workflows/"
build/cli/casus workflows check workflows
echo "== casus init --demo (fresh database in demo-data/)"
rm -rf demo-data
build/cli/casus init --demo --data-dir demo-data
echo "== casus audit verify"
build/cli/casus audit verify --data-dir demo-data
echo "Done. Inspect with: sqlite3 demo-data/casus.db"
