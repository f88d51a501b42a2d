#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed".
# On a fresh Debian machine it first installs what the browser tests need (Debian's chromium).
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
results="$repo/tests/TestResults"
chromium="${QUIRE_CHROMIUM:-/usr/bin/chromium}"

if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests (apt-get)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null || {
      echo "Could not install chromium with apt-get." >&2
      echo "0 passed, 1 failed"
      exit 1
    }
  else
    echo "The browser tests need Chromium at $chromium. Install it first, e.g.:" >&2
    echo "  sudo apt-get install -y chromium" >&2
    echo "(or point QUIRE_CHROMIUM at another Chromium binary)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

# The accessibility tests run axe-core (from npm) inside the pages.
axe="$repo/tests/Blog.Web.Tests/.tools/node_modules/axe-core/axe.min.js"
if [ ! -f "$axe" ] && [ -z "${QUIRE_AXE:-}" ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing npm for the accessibility tests (apt-get)..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null || true
  fi
  if command -v npm >/dev/null 2>&1; then
    echo "Installing axe-core for the accessibility tests (npm)..."
    npm install --prefix "$repo/tests/Blog.Web.Tests/.tools" --no-save --no-audit --no-fund --silent axe-core@4.14.1 >/dev/null || true
  else
    echo "The accessibility tests need axe-core: install Node.js/npm, or point QUIRE_AXE at axe.min.js." >&2
  fi
fi

rm -rf "$results"
mkdir -p "$results"

dotnet test "$repo/Blog.sln" --logger "trx" --results-directory "$results" "$@"
status=$?

# Count outcomes from the runner's own result files, not from its console output.
passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

# A build failure or crashed runner leaves no results: that is a failure, never "0 failed".
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "No tests ran." >&2
  failed=1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
