#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed".
# On a fresh Debian machine, run as root, it first installs what the tests need (Debian's chromium for the browser
# tests; npm and Java for the accessibility and HTML tests; postgresql; redis-server for the tests of several
# instances, which start a private one; nginx-light for the test of instances behind nginx). Otherwise, or with QUIRE_NO_INSTALL=1, it
# installs nothing and says what is missing. Without Chromium no test can be trusted to run, so it stops there.
#
# Two passes. The first runs the app on SQLite: every test except those marked Database=PostgreSQL. The second runs it
# on PostgreSQL (QUIRE_TEST_DATABASE=PostgreSQL, each test app on a database of its own on the server named by
# QUIRE_TEST_POSTGRESQL, a connection string of a role that may create databases): every test except those marked
# Database=Sqlite (what only SQLite has: its file, its migrator, its query plans), or, with
# QUIRE_TEST_POSTGRESQL_PASS=marked (a quicker run), only the tests marked Database=PostgreSQL. Unless the
# caller sets QUIRE_TEST_POSTGRESQL, the script starts a private PostgreSQL on a free loopback port in a temporary
# folder and removes it at exit; when it cannot, it says why and runs the first pass alone. The last line counts both.
# Extra arguments go to both passes; a --filter is combined with each pass's own, e.g. --filter "FullyQualifiedName~Migrat"
# runs "(FullyQualifiedName~Migrat)&(Database!=PostgreSQL)", then "(FullyQualifiedName~Migrat)&(Database=PostgreSQL)".
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

# The tests of several instances sharing one Redis (Needs=Redis) start their own redis-server, keeping nothing on disk.
first_pass="Database!=PostgreSQL"
second_pass="Database!=Sqlite"
case "${QUIRE_TEST_POSTGRESQL_PASS:-all}" in
  all) ;;
  marked) second_pass="Database=PostgreSQL" ;;
  *) setup_failed "QUIRE_TEST_POSTGRESQL_PASS is '${QUIRE_TEST_POSTGRESQL_PASS}'; it must be all (the default) or marked" ;;
esac
if ! command -v redis-server >/dev/null 2>&1 && [ -z "${QUIRE_TEST_REDIS:-}" ] && [ "$can_install" = true ]; then
  echo "Installing redis-server for the tests of several instances (apt-get)..."
  apt_install redis-server || echo "Could not install redis-server with apt-get." >&2
fi
if ! command -v redis-server >/dev/null 2>&1 && [ -z "${QUIRE_TEST_REDIS:-}" ]; then
  echo "The tests of several instances (Needs=Redis) will not run: install redis-server (sudo apt-get install -y redis-server)" >&2
  echo "or set QUIRE_TEST_REDIS to a Redis they may use." >&2
  first_pass="$first_pass&Needs!=Redis"
  second_pass="$second_pass&Needs!=Redis"
fi

# The test of instances behind nginx (Needs=Nginx) runs the README's nginx configuration with an nginx of its own.
nginx_installed() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]
}
if ! nginx_installed && [ "$can_install" = true ]; then
  echo "Installing nginx-light for the test of instances behind nginx (apt-get)..."
  apt_install nginx-light || echo "Could not install nginx-light with apt-get." >&2
fi
if ! nginx_installed; then
  echo "The test of instances behind nginx (Needs=Nginx) will not run: install nginx (sudo apt-get install -y nginx-light)." >&2
  first_pass="$first_pass&Needs!=Nginx"
  second_pass="$second_pass&Needs!=Nginx"
fi

# The caller's --filter is taken out of the arguments, to be combined with each pass's own.
user_filter=""
test_args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --filter) user_filter="${2:-}"; shift; [ "$#" -gt 0 ] && shift ;;
    --filter=*) user_filter="${1#--filter=}"; shift ;;
    *) test_args+=("$1"); shift ;;
  esac
done
second_pass_args=()
for arg in "${test_args[@]}"; do
  [ "$arg" = "--no-build" ] || second_pass_args+=("$arg")
done
pass_filter() {
  if [ -n "$user_filter" ]; then echo "($user_filter)&($1)"; else echo "$1"; fi
}

# A private PostgreSQL for the second pass, when the caller named none. initdb and the server run as the postgres user
# when this runs as root (PostgreSQL refuses to run as root), as the caller otherwise.
pg_dir=""
pg_ctl=""
pg_as() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_private_postgres() {
  if [ -n "$pg_ctl" ] && [ -n "$pg_dir" ]; then
    pg_as "$pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
  fi
  [ -n "$pg_dir" ] && rm -rf "$pg_dir"
}
trap stop_private_postgres EXIT
postgres_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
start_private_postgres() {
  local bin
  bin="$(postgres_bin)"
  if [ -z "$bin" ] && [ "$can_install" = true ]; then
    echo "Installing PostgreSQL for the PostgreSQL tests (apt-get)..."
    apt_install postgresql || echo "Could not install postgresql with apt-get." >&2
    bin="$(postgres_bin)"
  fi
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): install it (sudo apt-get install -y postgresql)" >&2
    echo "or set QUIRE_TEST_POSTGRESQL to a server's connection string." >&2
    return 1
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    echo "PostgreSQL refuses to run as root, and there is no postgres user to run it as." >&2
    return 1
  fi
  pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/quire-postgresql.XXXXXX")"
  [ "$(id -u)" = "0" ] && chown postgres "$pg_dir"
  # A password for the test role, which connects over TCP (scram-sha-256); the superuser only over the private socket.
  local password
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  if ! pg_as "$bin/initdb" -D "$pg_dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      >"$pg_dir/initdb.log" 2>&1; then
    echo "Could not create a private PostgreSQL cluster (initdb):" >&2
    tail -n 5 "$pg_dir/initdb.log" >&2
    return 1
  fi
  pg_ctl="$bin/pg_ctl"
  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    port_is_free "$port" || continue
    # A throwaway server: durability settings off, enough connections for test classes running in parallel. Tests
    # connect with a longer timeout than Npgsql's 15 s: a busy two-core machine can take that long to fork a backend.
    if pg_as "$pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $pg_dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null 2>&1; then
      if pg_as "$bin/psql" -h "$pg_dir" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
          -c "CREATE ROLE quire_test LOGIN CREATEDB PASSWORD '$password';" >/dev/null; then
        export QUIRE_TEST_POSTGRESQL="Host=127.0.0.1;Port=$port;Username=quire_test;Password=$password;Database=postgres;Timeout=60"
        echo "Started a private PostgreSQL on 127.0.0.1:$port for the PostgreSQL tests."
        return 0
      fi
      break
    fi
  done
  echo "Could not start a private PostgreSQL server:" >&2
  tail -n 5 "$pg_dir/server.log" >&2 2>/dev/null
  return 1
}

postgres_ready=false
if [ -n "${QUIRE_TEST_POSTGRESQL:-}" ]; then
  postgres_ready=true
elif start_private_postgres; then
  postgres_ready=true
else
  echo "The PostgreSQL pass will not run; the SQLite pass still does." >&2
fi

rm -rf "$results"
mkdir -p "$results"

QUIRE_TEST_DATABASE=Sqlite dotnet test "$repo/Blog.sln" --logger "trx;LogFilePrefix=sqlite" --results-directory "$results" \
  --filter "$(pass_filter "$first_pass")" "${test_args[@]}"
status=$?

if [ "$postgres_ready" = true ]; then
  # The first pass built everything (or failed to, and then this one fails the same way without building again).
  QUIRE_TEST_DATABASE=PostgreSQL dotnet test "$repo/Blog.sln" --logger "trx;LogFilePrefix=postgresql" --results-directory "$results" \
    --no-build --filter "$(pass_filter "$second_pass")" "${second_pass_args[@]}"
  postgres_status=$?
  [ "$status" -eq 0 ] && status=$postgres_status
fi

# Count outcomes from the runner's own result files (both passes), not from its console output.
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
