#!/usr/bin/env bash
# Runs the test suite in every runtime against the built bundle dist/adacore.mjs:
#   node     npx vitest run                                        (test/node/**/*.test.ts)
#   deno     npx deno test --config test/deno/deno.json test/deno/  (no permissions)
#   browser  npx vitest run --config vitest.browser.config.mjs      (Chromium page + module Worker)
# Prints each leg's counts, then one line "N passed, N failed" over all legs; exits non-zero
# if anything failed. The browser leg is skipped (with a message) when Chromium is missing,
# unless CI is set, where a missing Chromium counts as a failure. Build first: npm run build.
set -uo pipefail
cd "$(dirname "$0")/.."

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export CHROMIUM_PATH
export NO_COLOR="${NO_COLOR:-1}" FORCE_COLOR=0
work="$(mktemp -d)"
cleanup_dirs=("$work")
# Deno's cache must live outside the repo (vitest would otherwise collect tests from it).
if [ -z "${DENO_DIR:-}" ]; then DENO_DIR="$(mktemp -d)"; cleanup_dirs+=("$DENO_DIR"); fi
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "${XDG_RUNTIME_DIR}" ]; then XDG_RUNTIME_DIR="$(mktemp -d)"; chmod 700 "$XDG_RUNTIME_DIR"; cleanup_dirs+=("$XDG_RUNTIME_DIR"); fi
export DENO_DIR XDG_RUNTIME_DIR
trap 'rm -rf "${cleanup_dirs[@]}"' EXIT

legs=()
declare -A passed failed skipped note

if [ ! -f dist/adacore.mjs ]; then
  echo "test-all: dist/adacore.mjs is missing: run 'npm run build' first" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# record LEG PASSED FAILED SKIPPED RC: a non-zero exit with no failed test still counts as one failure
record() {
  local leg=$1 p=$2 f=$3 s=$4 rc=$5
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; note[$leg]=" (the runner exited with status $rc outside any test)"; fi
  legs+=("$leg"); passed[$leg]=$p; failed[$leg]=$f; skipped[$leg]=$s
}

# vitest's JSON report -> "passed failed skipped" (missing report: "0 0 0")
vitest_counts() {
  node -e '
    const fs = require("fs");
    try {
      const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
      console.log(j.numPassedTests, j.numFailedTests, j.numPendingTests + j.numTodoTests);
    } catch { console.log("0 0 0"); }' "$1"
}

# Deno's JUnit report -> "passed failed skipped"
deno_counts() {
  node -e '
    const fs = require("fs");
    try {
      const xml = fs.readFileSync(process.argv[1], "utf8");
      const head = xml.match(/<testsuites\b[^>]*>/)[0];
      const attr = (name) => Number((head.match(new RegExp(`\\b${name}="(\\d+)"`)) || [0, 0])[1]);
      const skipped = (xml.match(/<skipped\b/g) || []).length;
      const failed = attr("failures") + attr("errors");
      console.log(attr("tests") - failed - skipped, failed, skipped);
    } catch { console.log("0 0 0"); }' "$1"
}

echo "=== node: npx vitest run"
npx vitest run --reporter=default --reporter=json --outputFile.json="$work/node.json"
rc=$?
read -r p f s < <(vitest_counts "$work/node.json")
record node "$p" "$f" "$s" "$rc"

echo "=== deno: npx deno test --config test/deno/deno.json test/deno/"
npx deno test --config test/deno/deno.json --junit-path="$work/deno.xml" test/deno/
rc=$?
read -r p f s < <(deno_counts "$work/deno.xml")
record deno "$p" "$f" "$s" "$rc"

echo "=== browser: npx vitest run --config vitest.browser.config.mjs"
if [ -x "$CHROMIUM_PATH" ]; then
  npx vitest run --config vitest.browser.config.mjs --reporter=default --reporter=json --outputFile.json="$work/browser.json"
  rc=$?
  read -r p f s < <(vitest_counts "$work/browser.json")
  record browser "$p" "$f" "$s" "$rc"
elif [ -n "${CI:-}" ]; then
  echo "test-all: browser leg FAILED: no Chromium at $CHROMIUM_PATH and CI is set (apt-get install chromium)" >&2
  legs+=(browser); passed[browser]=0; failed[browser]=1; skipped[browser]=0; note[browser]=" (no Chromium at $CHROMIUM_PATH)"
else
  echo "test-all: SKIPPING the browser leg: no Chromium at $CHROMIUM_PATH (apt-get install chromium, or set CHROMIUM_PATH; with CI set this is a failure)"
  legs+=(browser); passed[browser]=0; failed[browser]=0; skipped[browser]=0; note[browser]=" (skipped: no Chromium)"
fi

echo
echo "=== summary"
total_passed=0 total_failed=0
for leg in "${legs[@]}"; do
  printf '%-8s %4d passed, %4d failed, %4d skipped%s\n' "$leg" "${passed[$leg]}" "${failed[$leg]}" "${skipped[$leg]}" "${note[$leg]:-}"
  total_passed=$((total_passed + passed[$leg]))
  total_failed=$((total_failed + failed[$leg]))
done
echo "${total_passed} passed, ${total_failed} failed"
[ "$total_failed" -eq 0 ]
