#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed".
# On a fresh Debian machine, run as root, it first installs what the tests need (Debian's chromium for the browser
# tests; npm and Java for the accessibility and HTML tests). Otherwise, or with QUIRE_NO_INSTALL=1, it installs
# nothing and says what is missing. Without Chromium no test can be trusted to run, so it stops there.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
results="$repo/tests/TestResults"
chromium="${QUIRE_CHROMIUM:-/usr/bin/chromium}"
tools="$repo/tests/Blog.Web.Tests/.tools"

# Ends the run before any test: the last line keeps the "N passed, N failed" shape but says it is not a count.
setup_failed() {
  echo "0 passed, 0 failed (setup failed: $1)"
  exit 1
}

can_install=false
if [ "$(id -u)" = "0" ] && [ "${QUIRE_NO_INSTALL:-}" != "1" ] && command -v apt-get >/dev/null 2>&1; then
  can_install=true
fi
apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    apt-get update -qq || return 1
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The accessibility and HTML-validity tests use axe-core and the Nu Html Checker (vnu.jar) from npm; vnu needs Java.
tools_installed() {
  [ -f "$tools/node_modules/axe-core/axe.min.js" ] && [ -f "$tools/node_modules/vnu-jar/build/dist/vnu.jar" ]
}
missing_tools() {
  if ! tools_installed && ! command -v npm >/dev/null 2>&1; then echo npm; fi
  if ! command -v java >/dev/null 2>&1; then echo default-jre-headless; fi
}

if [ ! -x "$chromium" ] && [ "$can_install" = true ]; then
  echo "Installing Chromium for the browser tests (apt-get)..."
  apt_install chromium || echo "Could not install chromium with apt-get." >&2
fi
if [ ! -x "$chromium" ]; then
  echo "The browser tests need Chromium at $chromium. Install it first, e.g.:" >&2
  echo "  sudo apt-get install -y chromium" >&2
  echo "(or point QUIRE_CHROMIUM at another Chromium binary)" >&2
fi

mapfile -t missing < <(missing_tools)
if [ "${#missing[@]}" -gt 0 ] && [ "$can_install" = true ]; then
  echo "Installing ${missing[*]} for the accessibility and HTML tests (apt-get)..."
  apt_install "${missing[@]}" || echo "Could not install ${missing[*]} with apt-get." >&2
fi
if ! tools_installed && command -v npm >/dev/null 2>&1; then
  echo "Installing axe-core and vnu-jar for the accessibility and HTML tests (npm)..."
  npm install --prefix "$tools" --no-save --no-audit --no-fund --silent axe-core@4.14.1 vnu-jar@26.9.27 >/dev/null \
    || echo "Could not install axe-core and vnu-jar with npm." >&2
fi
mapfile -t missing < <(missing_tools)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "The accessibility and HTML tests will fail without these Debian packages: ${missing[*]}. Install them first, e.g.:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
fi
if ! tools_installed && command -v npm >/dev/null 2>&1; then
  echo "Missing for the accessibility and HTML tests: axe-core and vnu-jar under $tools (npm install failed)." >&2
fi

[ -x "$chromium" ] || setup_failed "chromium missing"

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
