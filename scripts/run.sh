#!/usr/bin/env bash
# Installs what is missing (the build list only), builds the `casus` binary
# and nothing else, checks the workflows, creates a fresh demo database in
# demo-data/ and starts the server on https://localhost:8443 (stop with
# Ctrl-C). Prints how long each step took and how to log in.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/steps.sh
step "packages" scripts/install-deps.sh scripts/debian-packages.txt
step "web packages (npm ci)" scripts/install-web.sh
step "build casus" scripts/build.sh casus -- -DBUILD_TESTING=OFF
step "casus workflows check" build/cli/casus workflows check workflows
rm -rf demo-data
step "casus init --demo" build/cli/casus init --demo --data-dir demo-data
step "casus audit verify" build/cli/casus audit verify --data-dir demo-data
steps_summary
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
