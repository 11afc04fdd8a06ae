#!/usr/bin/env bash
# The whole test suite, as the README's Quick start and CI run it:
#   lint, type check + build (`npm run build`: tsc, then the CLI's models), then every test with
#   the services they need (test/run.ts starts a private PostgreSQL on its own socket and data
#   folder, and stops it at the end).
# Works on a fresh Debian machine with Node.js 20: installs npm packages, and as root the Debian
# packages the suite needs, when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --for-tests

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== lint"
npx eslint --max-warnings 0 .
echo "== type check and build"
rm -rf dist
npm run --silent build
echo "== tests"
exec node --enable-source-maps dist/test/run.js "$@"
