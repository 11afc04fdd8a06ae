#!/usr/bin/env bash
# The README's first command: install what is missing, then start Wharf on its embedded defaults
# (`wharf up`: SQLite in ./.wharf, API on 127.0.0.1:7070) and print where it is. Extra arguments go
# to `wharf up` (e.g. --api-port 0).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ ! -f dist/src/main.js ]; then
  echo "== installing npm packages and building (the first time takes about a minute)"
  npm ci --no-audit --no-fund
fi
exec node bin/wharf.js up --sample examples/hello-node "$@"
