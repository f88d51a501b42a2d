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

# The accessibility and HTML-validity tests use axe-core and the Nu Html Checker (vnu.jar) from npm; vnu needs Java.
tools="$repo/tests/Blog.Web.Tests/.tools"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing ${missing[*]} for the accessibility and HTML tests (apt-get)..."
    apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || true
  fi
fi
if [ ! -f "$tools/node_modules/axe-core/axe.min.js" ] || [ ! -f "$tools/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "Installing axe-core and vnu-jar for the accessibility and HTML tests (npm)..."
    npm install --prefix "$tools" --no-save --no-audit --no-fund --silent axe-core@4.14.1 vnu-jar@26.9.27 >/dev/null || true
  else
    echo "The accessibility and HTML tests need Node.js/npm (for axe-core and vnu-jar) and Java." >&2
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
