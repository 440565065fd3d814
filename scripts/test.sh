#!/usr/bin/env bash
# The one command that sets everything up and runs every check:
# typecheck, lint, architecture rules, schema snapshots, then unit, contract
# and e2e tests (with coverage) against real local servers, which it starts on
# free loopback ports and always stops. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npx eslint . --max-warnings=0
echo "== architecture"; npm run --silent arch
echo "== schema snapshots"; node scripts/schemas.mjs --check

state=.relia-test/servers
mkdir -p .relia-test
cleanup() { node scripts/servers.mjs down --state "$state" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
echo "== starting servers"
node scripts/servers.mjs up --state "$state" >/dev/null
export RELIA_TEST_SERVERS="$PWD/$state/servers.json"

echo "== tests"
report=.relia-test/vitest-report.json
rm -f "$report"
set +e
npx vitest run --coverage --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
set -e
node -e '
const fs = require("fs");
const file = process.argv[1];
if (!fs.existsSync(file)) { console.log("0 passed, 0 failed"); console.error("no test report was written"); process.exit(1); }
const r = JSON.parse(fs.readFileSync(file, "utf8"));
const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
if (r.numTotalTests === 0 || r.numPassedTests === 0) { console.error("no test ran"); process.exit(1); }
' "$report" || status=1
exit $status
