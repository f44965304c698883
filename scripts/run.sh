#!/usr/bin/env bash
# Installs what is missing, builds, checks the workflows, creates a fresh
# demo database in demo-data/ and starts the server on https://localhost:8443
# (stop with Ctrl-C). Prints how to log in.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh
scripts/install-web.sh
scripts/build.sh
echo "== casus workflows check workflows/"
build/cli/casus workflows check workflows
echo "== casus init --demo (fresh database in demo-data/)"
rm -rf demo-data
build/cli/casus init --demo --data-dir demo-data
echo "== casus audit verify"
build/cli/casus audit verify --data-dir demo-data
cat <<'TXT'

== How to log in
Open https://localhost:8443/ in a browser (accept the self-signed
certificate): the public melding form needs no login; staff log in there.
Every demo account (listed above as "demo account: ...") has the password
"demo-wachtwoord" and a TOTP second factor. Get a demo account's current
code with:
    build/cli/casus demo totp --username coordinator.kerkrade --data-dir demo-data
Log in over the API (the certificate is self-signed, created in demo-data/):
    curl -k -X POST https://localhost:8443/api/v1/auth/login -H 'Content-Type: application/json' \
      -d '{"username":"coordinator.kerkrade","password":"demo-wachtwoord","totp":"<code>"}'
and send the returned token as "Authorization: Bearer <token>".

TXT
exec build/cli/casus serve --data-dir demo-data
