#!/usr/bin/env bash
# Quire's reader-side benchmark. Builds Release, generates a blog, starts it, and drives it with wrk on
# loopback, alternating each scenario with nginx serving the exact bytes of the 50-comment post page as a
# static file (the "limit of the machine" reference). Prints one table per data set.
#
#   bash tests/Benchmarks/run.sh            # small (100 posts) and large (100,000 posts, 1,000,000 comments)
#   bash tests/Benchmarks/run.sh small      # just one data set
#   bash tests/Benchmarks/run.sh pictures   # uploads, and a post with pictures and a picture file against nginx (only when named)
#   bash tests/Benchmarks/run.sh import     # a large blog exported as WordPress WXR and imported into an empty one (only when named)
#   bash tests/Benchmarks/run.sh postgresql # the small set on SQLite, on PostgreSQL, and on two instances + Redis behind nginx (only when named)
#
# The app is published and started exactly as README.md tells users to (same publish command, the shipped
# appsettings.json), with one exception made below for the comment scenario.
#
# Environment: DURATION (seconds of wrk per scenario and side, default 10, run as SLICES runs, default 5, that
# alternate with nginx), CONNECTIONS (default 32), THREADS (default 2),
# TIMEOUT (wrk's per-request timeout, default 10s: a slower answer counts as an error), WARMUP (seconds of mixed
# reading before anything is measured, default 30: .NET recompiles hot code for about that long under load),
# COMMENT_WARMUP (seconds of comment POSTs before that scenario is measured, default 30; all comment POSTs come
# from a different member every 5 s), ABUSERS (connections of the abuse scenario, default 4), ABUSE_SETS (the
# data sets it runs on, default "large"), SMALL_POSTS/SMALL_COMMENTS and LARGE_POSTS/LARGE_COMMENTS (the sets'
# sizes, default 100/10,000 and 100,000/1,000,000; smaller ones make a quick check of the script itself),
# UPLOADS (timed one-at-a-time uploads of the pictures run, default and least 10), BURST (concurrent uploads, default 10),
# PICTURE_POSTS/PICTURE_COMMENTS (the pictures run's blog, default 100/10,000, as the small set),
# IMPORT_POSTS/IMPORT_COMMENTS (the import run's blog, default 7,000/70,000: a WXR of about 120 MB) and IMPORT_MIN_MB
# (the least size of its export, default 100: a smaller file would not show whether memory stays bounded).
# The postgresql set uses SMALL_POSTS/SMALL_COMMENTS and needs PostgreSQL's server and redis-server (installed by the
# script when run as root).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/quire-bench.XXXXXX)"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-2}"
timeout="${TIMEOUT:-10s}"
slices="${SLICES:-5}"
slice_seconds=$(( duration / slices > 0 ? duration / slices : 1 ))
warmup_seconds="${WARMUP:-30}"
abusers="${ABUSERS:-4}"
abuse_sets=" ${ABUSE_SETS:-large} "
quire_port=5080
nginx_port=5081
# The postgresql set's own: nginx in front of two instances, the second instance, a private PostgreSQL and Redis.
proxy_port=5082
second_port=5085
postgres_port=5083
redis_port=5084
app_pids=()
sets=("${@:-small large}")
sets=(${sets[*]})

cleanup() {
  local pid
  for pid in "${app_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "${redis_pid:-}" ] && kill "$redis_pid" 2>/dev/null || true
  [ -n "${postgres_ctl:-}" ] && as_postgres "$postgres_ctl" -D "$work/postgresql/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1; }
# The import run measures commands, not requests: it needs neither wrk nor nginx.
if [ "${sets[*]}" != import ] && { ! need wrk || ! need nginx; }; then
  if [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq wrk nginx-light >/dev/null
  else
    echo "The benchmark needs wrk and nginx: sudo apt-get install -y wrk nginx-light" >&2
    exit 1
  fi
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

echo "Building Release..."
# README.md's publish command, for this machine's platform (linux-x64 there; -r makes the app ReadyToRun, see
# Blog.Web.csproj; it still runs on the shared runtime).
rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
dotnet publish "$repo/src/Blog.Web" -c Release -r "${rid:-linux-x64}" --self-contained false -o "$work/app" --nologo -v quiet >/dev/null
app_dll="$work/app/Blog.Web.dll"

# The blog counts reader views (statistics) unless the user agent looks like a script, and wrk sends none: every
# measured request says it is a browser, so the figures include the counting a real reader's request costs.
reader_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

# wrk one run of $1 seconds → "requests seconds p50_ms p99_ms errors"
wrk_run() {
  local seconds="$1" url="$2" script="${3:-}"
  local args=(-t"$threads" -c"$connections" -d"${seconds}s" --timeout "$timeout" --latency -H "User-Agent: $reader_agent")
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" | awk -v seconds="$seconds" '
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx responses:/ { errors = $5 }
    /Socket errors:/ { gsub(",", ""); socket = $4 + $6 + $8 + $10 }
    /^Refused: / { refused = $2 }
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    / requests in / { total = $1; took = $4; sub(/s,?$/, "", took) }
    END {
      # No answer within the timeout at all: wrk prints no latencies, so say so rather than print zeros.
      if (total == 0) { print "0 " seconds " - - all"; exit }
      printf "%d %.3f %.2f %.2f %d\n", total, took, ms(p50), ms(p99), errors + socket + refused
    }'
}

# median_of_column N line...: the median of the lines' Nth fields, those that are not "-".
median_of_column() {
  local column="$1"; shift
  printf '%s\n' "$@" | awk -v c="$column" '$c != "-" { print $c }' | sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'
}

# Several wrk_run lines → "requests/s p50_ms p99_ms worst_p99_ms errors": requests over time for the rate, the
# median of the runs' medians and of their p99s, and the worst run's p99 (one noisy slice of the machine shows there).
combine() {
  local p50 p99
  p50=$(median_of_column 3 "$@")
  p99=$(median_of_column 4 "$@")
  printf '%s\n' "$@" | awk -v p50="$p50" -v p99="$p99" '
    { requests += $1; took += $2; if ($5 == "all") none = 1; else errors += $5; if ($4 != "-" && $4 + 0 > worst) worst = $4 + 0 }
    END {
      if (requests == 0) { print "0 - - - all"; exit }
      printf "%.0f %s %s %.2f %s\n", requests / took, p50, p99, worst, (none ? "all" : errors)
    }'
}

# run_pair label path [reference]: one scenario of the blog at path, alternating with nginx serving reference (by
# default the saved post page), as a row appended to the caller's rows, its ratio kept in vs_nginx. It reads the
# caller's name, base, rows, ref_total and ref_runs. Each scenario alternates with nginx in short slices rather than
# one long run each: the machine's noise comes and goes within seconds, and this way it falls on both sides of the ratio alike.
run_pair() {
  local label="$1" path="$2" reference="${3:-/post.html}"
  local quire=() nginx=()
  for _ in $(seq "$slices"); do
    quire+=("$(wrk_run "$slice_seconds" "$base$path")")
    nginx+=("$(wrk_run "$slice_seconds" "http://127.0.0.1:$nginx_port$reference")")
  done
  read -r q_rps q_p50 q_p99 q_worst q_err <<<"$(combine "${quire[@]}")"
  read -r n_rps _ _ _ _ <<<"$(combine "${nginx[@]}")"
  ref_total=$((ref_total + n_rps)); ref_runs=$((ref_runs + 1))
  local ratio; ratio=$(awk -v a="$q_rps" -v b="$n_rps" 'BEGIN { printf "%.1f", 100 * a / b }')
  vs_nginx["$name|$label"]="$ratio"
  rates["$name|$label"]="$q_rps"
  rows+=("$(printf '%-28s %10s %9s %9s %9s %8s %7s' "$label" "$q_rps" "$q_p50" "$q_p99" "$q_worst" "$ratio%" "$q_err")")
}

# start_quire data [port [NAME=value …]]: the blog on data (its data folder), listening on port (default 5080), with
# the extra settings given (another database, Redis); app_pid is its process, stopped with stop_quire.
start_quire() {
  local data="$1" port="${2:-$quire_port}"
  shift $(( $# < 2 ? $# : 2 ))
  local started; started=$(date +%s%N)
  # As README.md runs it, with the shipped appsettings.json. The one override: the per-minute comment limit of each
  # member (5 as shipped) is lifted to its maximum, since the comment scenario posts thousands a second from eight
  # members to measure the write path; with the limit as shipped it would measure the refusals.
  # Started from its own folder: the content root (wwwroot, appsettings.json) is the working directory.
  (cd "$work/app" && exec env Blog__DataDirectory="$data" ASPNETCORE_ENVIRONMENT=Production Blog__Comments__PerMinute=10000 "$@" \
    dotnet "$app_dll" --urls "http://127.0.0.1:$port") >"$work/app-$port.log" 2>&1 &
  app_pid=$!
  app_pids+=("$app_pid")
  until curl -fso /dev/null "http://127.0.0.1:$port/"; do
    if ! kill -0 "$app_pid" 2>/dev/null; then echo "The app did not start:" >&2; cat "$work/app-$port.log" >&2; exit 1; fi
    sleep 0.02
  done
  cold_start_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}

# stop_quire [pid]: stops one instance (app_pid by default) and waits for it to go.
stop_quire() {
  local pid="${1:-$app_pid}"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [ "$pid" = "${app_pid:-}" ]; then app_pid=; fi
}

# start_nginx root [extra]: nginx serving root, with extra lines of http-level configuration (none for the pages).
start_nginx() {
  local root="$1" extra="${2:-}"
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
$extra
  server { listen 127.0.0.1:$nginx_port; root $root; }
}
CONF
  mkdir -p "$work/nginx-tmp"
  # nginx's worker drops to an unprivileged user when started as root; mktemp made the folders private.
  chmod a+rx "$work" "$root" && chmod a+r "$root"/*
  "$nginx_bin" -c "$work/nginx.conf" -p "$work" 2>/dev/null
  for _ in $(seq 250); do curl -fso /dev/null "http://127.0.0.1:$nginx_port/post.html" && break; sleep 0.02; done
  if ! curl -fs "http://127.0.0.1:$nginx_port/post.html" | cmp -s - "$root/post.html"; then
    echo "nginx does not serve the saved page as it is." >&2; exit 1
  fi
}

# antiforgery_token html_file: the first form token on a saved page.
antiforgery_token() {
  grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' "$1" | head -n 1 | sed 's/.*value="//;s/"$//'
}

# comment_script set member_email lua_file: signs the member in and writes a wrk script that posts a unique comment
# with their cookie and antiforgery token on every request. An answer below 400 that is not the redirect to the new
# comment (…#c123) counts as refused, beside wrk's own errors (4xx and 5xx): a redirect to the sign-in page, say.
comment_script() {
  local name="$1" email="$2" lua="$3"
  local base="${base:-http://127.0.0.1:$quire_port}"
  local jar="$work/cookies-$name-$email"
  curl -fs -c "$jar" -b "$jar" "$base/account/sign-in" -o "$work/signin.html"
  local token; token=$(antiforgery_token "$work/signin.html")
  curl -fs -c "$jar" -b "$jar" -o /dev/null --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "Email=$email" --data-urlencode "Password=$MEMBER_PASSWORD" "$base/account/sign-in"
  curl -fs -c "$jar" -b "$jar" "$base$COMMENT_POST_PAGE" -o "$work/post-signed-in.html"
  token=$(antiforgery_token "$work/post-signed-in.html")
  # curl writes HttpOnly cookies (the sign-in cookie among them) as "#HttpOnly_host" lines.
  local cookie; cookie=$(awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar")
  if ! grep -q 'action="/comments"' "$work/post-signed-in.html" || [ -z "$token" ]; then
    echo "$email could not sign in or the post shows no comment form." >&2; exit 1
  fi
  # One comment by hand first: a redirect back to the post (not to sign-in, not a 400) proves the cookie and
  # token work, since wrk counts every 3xx as a success.
  local location; location=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Cookie: $cookie" \
    --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "PostId=$COMMENT_POST_ID" \
    --data-urlencode "Body=Checking that comments can be posted." "$base$COMMENT_POST_URL")
  case "$location" in
    3??\ *sign-in*|3??\ *error*|[!3]*) echo "Posting a comment as $email failed: $location" >&2; exit 1 ;;
  esac
  cat >"$lua" <<LUA
local counter = 0
local token = "$token"
function urlencode(s) return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
request = function()
  counter = counter + 1
  local body = "__RequestVerificationToken=" .. urlencode(token) .. "&PostId=$COMMENT_POST_ID&Body=" ..
    urlencode("Benchmark comment " .. counter .. " from thread " .. tostring(id or 0) .. " " .. os.clock())
  return wrk.format("POST", "$COMMENT_POST_URL", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "$cookie",
  }, body)
end
refused = 0
response = function(status, headers, body)
  local location = headers["Location"] or ""
  if status < 400 and not location:find("#c%d") then refused = refused + 1 end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("refused") end
  io.write("Refused: " .. total .. "\n")
end
LUA
}

# abuse_script lua_file: a wrk script whose every request is an address the reader cache has not seen, in a rotating
# mix: deep pages of the home list, pages past its end (by time and by number), searches for made-up words, the
# home and post pages with made-up query keys, and the sitemap and its files; half of them accept compression.
# At the end it prints how the blog answered them.
abuse_script() {
  cat >"$1" <<LUA
local oldest, newest, pages, post, sitemap_files = $OLDEST_EPOCH, $NEWEST_EPOCH, $HOME_PAGES, "$POST_50", $SITEMAP_POST_FILES
local letters = "abcdefghijklmnopqrstuvwxyz"
local counter = 0
local threads, next_id = {}, 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end
function init(args) math.randomseed(os.time() + 7919 * (id or 0)) end
local function word()
  local chars = {}
  for i = 1, math.random(3, 9) do local k = math.random(1, 26); chars[i] = letters:sub(k, k) end
  return table.concat(chars)
end
local function iso(t) return os.date("!%Y-%m-%dT%H:%M:%SZ", t) end
request = function()
  counter = counter + 1
  local kind, path = counter % 6
  if kind == 0 then
    path = "/search?updated-max=" .. iso(math.random(oldest, newest)) .. "&max-results=10"
  elseif kind == 1 and counter % 12 == 1 then
    path = "/?page=" .. math.random(pages + 1, 100000)
  elseif kind == 1 then
    path = "/search?updated-max=" .. iso(oldest - math.random(1, 315360000)) .. "&max-results=10"
  elseif kind == 2 then
    path = "/search?q=" .. word() .. (math.random() < 0.5 and "+performance" or "")
  elseif kind == 3 then
    path = "/?" .. word() .. "=" .. word()
  elseif kind == 4 then
    path = post .. "?utm_source=" .. word() .. "&fbclid=" .. math.random(1, 1000000000)
  elseif counter % 12 == 5 then
    path = "/sitemap.xml"
  else
    path = "/sitemap-posts-" .. math.random(1, sitemap_files) .. ".xml"
  end
  local headers = {}
  if math.random() < 0.5 then headers["Accept-Encoding"] = "br, gzip" end
  return wrk.format("GET", path, headers)
end
answered, missing, limited, other = 0, 0, 0, 0
response = function(status, headers, body)
  if status < 400 then answered = answered + 1
  elseif status == 404 then missing = missing + 1
  elseif status == 429 then limited = limited + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local total = { answered = 0, missing = 0, limited = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for key in pairs(total) do total[key] = total[key] + thread:get(key) end
  end
  io.write(string.format("Abusers: %d %d %d %d\\n", total.answered, total.missing, total.limited, total.other))
end
LUA
}

# sample_rss file: appends the app's resident memory (kB) to file every 0.1 s, until killed or the app ends.
sample_rss() {
  while awk '/VmRSS/ { print $2 }' "/proc/$app_pid/status" >>"$1" 2>/dev/null; do sleep 0.1; done
}

# first_answer_ms url: how long a request that the cache cannot answer takes to be answered, in ms.
first_answer_ms() {
  curl -s -o /dev/null -w '%{time_total}' "$1" | awk '{ printf "%.2f", $1 * 1000 }'
}

# generate_set data urls_file posts comments [NAME=value …]: generate-data into a new blog on data (its data folder,
# and the database the extra settings name, if any), its shell variables written to urls_file.
generate_set() {
  local data="$1" urls="$2" posts="$3" comments="$4"
  shift 4
  local gen_started; gen_started=$(date +%s%N)
  env Blog__DataDirectory="$data" Logging__LogLevel__Default=Warning "$@" \
    dotnet "$app_dll" generate-data --posts "$posts" --comments "$comments" >"$urls"
  echo "  generated in $(( ($(date +%s%N) - gen_started) / 1000000 )) ms"
  # The large set writes about 3 GB; flushed now, the disk's write-back does not land on the first scenarios.
  sync
}

# warm_up path…: JIT, caches, connection pools, on the blog at base. First WARMUP seconds of all the pages at once:
# .NET goes on recompiling hot methods (tiered compilation) for about half a minute of load, and a process measured
# before that is not the one that serves readers. Then a little of each page alone, and of nginx's reference.
warm_up() {
  local paths=("$@")
  if [ "$warmup_seconds" -gt 0 ]; then
    printf 'local paths = { %s }\nlocal i = 0\nrequest = function() i = i %% #paths + 1; return wrk.format("GET", paths[i]) end\n' \
      "$(printf '"%s", ' "${paths[@]}")" >"$work/warmup.lua"
    wrk -t"$threads" -c"$connections" -d"${warmup_seconds}s" -s "$work/warmup.lua" "$base" >/dev/null
  fi
  for path in "${paths[@]}"; do
    wrk -t1 -c8 -d2s "$base$path" >/dev/null
  done
  wrk -t1 -c8 -d2s "http://127.0.0.1:$nginx_port/post.html" >/dev/null
}

# measure_comments: the comment POST scenario on the blog at base, as rows appended to the caller's rows (the first
# 10 s of the warm-up, then the measured load), the measured rate kept in rates. It reads the caller's name and base
# and the generator's variables. Comment POSTs come in 5-s slices, each from the next member, so that none reaches the
# per-minute comment limit (lifted to its maximum) below 2,000 comments a second: the warm-up's, then the measured ones.
measure_comments() {
  local comment_members=($WARMUP_MEMBER_EMAILS "$MEMBER_EMAIL") comment_seconds=5 i k
  local warmup_slices=$(( (${COMMENT_WARMUP:-30} + comment_seconds - 1) / comment_seconds ))
  local measured_slices=$(( (duration + comment_seconds - 1) / comment_seconds ))
  for i in "${!comment_members[@]}"; do
    comment_script "$name" "${comment_members[i]}" "$work/comment-$i.lua"
  done
  # comment_slice k: the kth slice of comment POSTs, as a wrk_run line.
  comment_slice() { wrk_run "$comment_seconds" "$base$COMMENT_POST_URL" "$work/comment-$(( $1 % ${#comment_members[@]} )).lua"; }
  # The write path is warmed up like the pages were, but longer: far more of its code runs only here (Markdown,
  # the sanitizer, the mail writer), and .NET goes on recompiling its hot methods in the background for half a
  # minute of this load. The first 10 s are shown too: the write path as the first burst of comments finds it.
  local warmup=() measured=()
  for k in $(seq 0 $((warmup_slices - 1))); do warmup+=("$(comment_slice "$k")"); done
  for k in $(seq "$warmup_slices" $((warmup_slices + measured_slices - 1))); do measured+=("$(comment_slice "$k")"); done
  local first_slices=$(( 10 / comment_seconds ))
  if [ "${#warmup[@]}" -ge "$first_slices" ]; then
    read -r c_rps c_p50 c_p99 c_worst c_err <<<"$(combine "${warmup[@]:0:first_slices}")"
    rows+=("$(printf '%-28s %10s %9s %9s %9s %8s %7s' "comment POST, first 10 s" "$c_rps" "$c_p50" "$c_p99" "$c_worst" "-" "$c_err")")
  fi
  read -r c_rps c_p50 c_p99 c_worst c_err <<<"$(combine "${measured[@]}")"
  rates["$name|comment POST (members)"]="$c_rps"
  rows+=("$(printf '%-28s %10s %9s %9s %9s %8s %7s' "comment POST (members)" "$c_rps" "$c_p50" "$c_p99" "$c_worst" "-" "$c_err")")
}

run_set() {
  local name="$1" posts comments
  case "$name" in
    small) posts="${SMALL_POSTS:-100}"; comments="${SMALL_COMMENTS:-10000}" ;;
    large) posts="${LARGE_POSTS:-100000}"; comments="${LARGE_COMMENTS:-1000000}" ;;
    *) echo "unknown data set $name" >&2; exit 1 ;;
  esac
  local data="$work/data-$name"
  echo "Generating the $name data set ($posts posts, $comments comments)..."
  generate_set "$data" "$work/urls-$name.txt" "$posts" "$comments"
  # shellcheck disable=SC1090
  source "$work/urls-$name.txt"   # POST_50 POST_5000 LABEL SEARCH DEEPEST_PAGE … MEMBER_EMAIL WARMUP_MEMBER_EMAILS MEMBER_PASSWORD COMMENT_POST_*

  start_quire "$data"
  local base="http://127.0.0.1:$quire_port"
  mkdir -p "$work/static-$name"
  curl -fs "$base$POST_50" -o "$work/static-$name/post.html"
  local page_bytes; page_bytes=$(stat -c %s "$work/static-$name/post.html")
  # Bytes on the wire when the client accepts compression, and (for comparison) what gzip -9 makes of them.
  local page_br; page_br=$(curl -fs -H 'Accept-Encoding: br, gzip' "$base$POST_50" | wc -c)
  local css_path; css_path=$(grep -o 'href="/css/site\.[^"]*css[^"]*"' "$work/static-$name/post.html" | head -n 1 | sed 's/^href="//;s/"$//;s/&amp;/\&/g' || true)
  css_path="${css_path:-/css/site.css}"
  local css_br; css_br=$(curl -fs -H 'Accept-Encoding: br, gzip' "$base$css_path" | wc -c)
  local page_gz; page_gz=$(gzip -9c "$work/static-$name/post.html" | wc -c)
  local css_gz; css_gz=$(curl -fs "$base$css_path" | gzip -9c | wc -c)
  start_nginx "$work/static-$name"

  local paths=(/ "$DEEPEST_PAGE" "$POST_50" "$POST_5000" "$LABEL" "$SEARCH" /feeds/posts/default)   # in read_scenarios' order
  warm_up "${paths[@]}"

  local rows=()
  local ref_total=0 ref_runs=0
  for i in "${!read_scenarios[@]}"; do
    run_pair "${read_scenarios[$i]}" "${paths[$i]}"
  done

  # Pages nobody asked for yet, as a crawler or a reader paging back finds them: the first page of the home list,
  # its deepest page and an address past its end, twenty distinct addresses of each (interleaved, so the machine's
  # noise falls on all three), spaced out to stay within a client's share of rendered pages.
  local first_ms=() deep_ms=() past_ms=()
  local first_pages=($FIRST_PAGES) deep_pages=($DEEP_PAGES) past_pages=($PAST_END_PAGES)
  for i in "${!first_pages[@]}"; do
    first_ms+=("$(first_answer_ms "$base${first_pages[i]}")"); sleep 0.1
    deep_ms+=("$(first_answer_ms "$base${deep_pages[i]}")"); sleep 0.1
    past_ms+=("$(first_answer_ms "$base${past_pages[i]}")"); sleep 0.1
  done
  local first_median deep_median past_median
  first_median=$(median_of_column 1 "${first_ms[@]}"); deep_median=$(median_of_column 1 "${deep_ms[@]}"); past_median=$(median_of_column 1 "${past_ms[@]}")

  # The sitemap: every file the index names is fetched twice; the second answer must come from the cache (Age).
  local sitemap_files sitemap_largest=0 sitemap_cached=yes
  curl -fs "$base/sitemap.xml" -o "$work/sitemap.xml"
  curl -fs -D "$work/sitemap-headers" -o /dev/null "$base/sitemap.xml"
  grep -qi '^age:' "$work/sitemap-headers" || sitemap_cached=no
  sitemap_files=$(grep -o '<loc>[^<]*</loc>' "$work/sitemap.xml" | sed 's/<loc>//; s/<\/loc>//; s#^https\{0,1\}://[^/]*##')
  SITEMAP_POST_FILES=$(echo "$sitemap_files" | grep -c '/sitemap-posts-' || true)
  for file in $sitemap_files; do
    local urls; urls=$(curl -fs "$base$file" | grep -o '<url>' | wc -l)
    [ "$urls" -gt "$sitemap_largest" ] && sitemap_largest=$urls
    curl -fs -D "$work/sitemap-headers" -o /dev/null "$base$file"
    grep -qi '^age:' "$work/sitemap-headers" || sitemap_cached=no
  done

  measure_comments

  # Abuse, last: the 50-comment post page measured alone, then while ABUSERS more connections ask for addresses the
  # cache has not seen (abuse_script), in alternating slices; the app's memory is sampled throughout. Last, so that
  # the pages it leaves in the reader cache do not weigh on the scenarios before it.
  local abuse_lines=()
  if [[ "$abuse_sets" == *" $name "* ]]; then
    abuse_script "$work/abuse.lua"
    local alone=() attacked=() abuse_requests=0 abuse_seconds=0 abuse_counts="0 0 0 0"
    local rss_before; rss_before=$(awk '/VmRSS/ { print $2 }' "/proc/$app_pid/status")
    : >"$work/rss-abuse"
    sample_rss "$work/rss-abuse" &
    local sampler=$!
    for k in $(seq "$slices"); do
      alone+=("$(wrk_run "$slice_seconds" "$base$POST_50")")
      wrk -t1 -c"$abusers" -d"$((slice_seconds + 2))s" --timeout "$timeout" -s "$work/abuse.lua" "$base" >"$work/abuse-$k.txt" 2>&1 &
      local abuse_pid=$!
      sleep 1
      attacked+=("$(wrk_run "$slice_seconds" "$base$POST_50")")
      wait "$abuse_pid" || true
      read -r requests took <<<"$(awk '/ requests in / { took = $4; sub(/s,?$/, "", took); print $1, took }' "$work/abuse-$k.txt")"
      abuse_requests=$((abuse_requests + ${requests:-0}))
      abuse_seconds=$(awk -v a="$abuse_seconds" -v b="${took:-0}" 'BEGIN { print a + b }')
      abuse_counts=$(awk -v sum="$abuse_counts" 'BEGIN { split(sum, s, " ") } /^Abusers: / { s[1] += $2; s[2] += $3; s[3] += $4; s[4] += $5 }
        END { print s[1], s[2], s[3], s[4] }' "$work/abuse-$k.txt")
    done
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    read -r a_rps a_p50 a_p99 a_worst a_err <<<"$(combine "${alone[@]}")"
    read -r u_rps u_p50 u_p99 u_worst u_err <<<"$(combine "${attacked[@]}")"
    read -r answered missing limited other <<<"$abuse_counts"
    local abuse_rate; abuse_rate=$(awk -v r="$abuse_requests" -v s="$abuse_seconds" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')
    local abuse_rss; abuse_rss=$(sort -n "$work/rss-abuse" | tail -n 1)
    abuse_lines+=("$(printf '%-28s %10s %9s %9s %9s %8s %7s' "post, 50 comments, alone" "$a_rps" "$a_p50" "$a_p99" "$a_worst" "-" "$a_err")")
    abuse_lines+=("$(printf '%-28s %10s %9s %9s %9s %8s %7s' "post, under $abusers abusers" "$u_rps" "$u_p50" "$u_p99" "$u_worst" \
      "$(awk -v a="$u_rps" -v b="$a_rps" 'BEGIN { printf "%.1f%%", 100 * a / b }')" "$u_err")")
    abuse_lines+=("abusers: $abuse_rate req/s ($answered answered, $missing not found, $limited refused with 429, $other other); peak RSS during the abuse: $(( ${abuse_rss:-0} / 1024 )) MB ($((rss_before / 1024)) MB as it began)")
  fi
  local ref_rps=$((ref_total / ref_runs))
  local rss_kb; rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$app_pid/status")

  echo
  echo "Data set: $name ($posts posts, $comments comments) — $(nproc) cores, wrk -t$threads -c$connections," \
    "${slices} × ${slice_seconds} s per scenario alternating with nginx"
  printf '%-28s %10s %9s %9s %9s %8s %7s\n' "scenario" "req/s" "p50 ms" "p99 ms" "worst p99" "vs nginx" "errors"
  printf '%s\n' "${rows[@]}"
  printf '%-28s %10s\n' "nginx static reference" "$ref_rps"
  echo "first answers, not cached (median of ${#first_ms[@]} addresses each): page 1 $first_median ms, deepest page $deep_median ms" \
    "($(awk -v a="$deep_median" -v b="$first_median" 'BEGIN { printf "%.2f", a / b }')×), past the end $past_median ms" \
    "($(awk -v a="$past_median" -v b="$first_median" 'BEGIN { printf "%.2f", a / b }')×)"
  echo "sitemap: index and $(echo "$sitemap_files" | wc -w) files, the largest $sitemap_largest URLs; second requests all from the cache: $sitemap_cached"
  if [ "${#abuse_lines[@]}" -gt 0 ]; then
    echo "abuse: the 50-comment post alone, then while $abusers connections ask for addresses the cache has not seen (${slices} × ${slice_seconds} s each)"
    printf '%-28s %10s %9s %9s %9s %8s %7s\n' "" "req/s" "p50 ms" "p99 ms" "worst p99" "vs alone" "errors"
    printf '%s\n' "${abuse_lines[@]}"
  fi
  echo "cold start to first 200: ${cold_start_ms} ms; peak RSS: $((rss_kb / 1024)) MB"
  echo "post page: $page_bytes bytes; sent with Accept-Encoding br/gzip: page $page_br + CSS $css_br = $((page_br + css_br)) bytes (gzip -9 would give $((page_gz + css_gz)) bytes)"

  stop_quire
  kill "$(cat "$work/nginx.pid")"; rm -f "$work/nginx.pid"
}

# make_photos folder count: distinct 12-megapixel JPEGs (4000 × 3000, smooth colour fields with grain, about 3.5 MB
# each, as a phone's photo weighs), drawn with SkiaSharp (the blog's own image library) by a one-file .NET program.
make_photos() {
  local folder="$1" count="$2"
  mkdir -p "$work/photo-maker"
  cat >"$work/photo-maker/make-photos.cs" <<'CS'
#:package SkiaSharp@4.156.1
#:package SkiaSharp.NativeAssets.Linux.NoDependencies@4.156.1
using SkiaSharp;

var (folder, count) = (args[0], int.Parse(args[1]));
Directory.CreateDirectory(folder);
Parallel.For(0, count, n =>
{
    const int width = 4000, height = 3000;
    // Seeded per file: every photo differs (a new picture to the blog), and a re-run makes the same ones.
    var random = new Random(1000 + n);
    using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
    var pixels = bitmap.GetPixelSpan();
    var (fx, fy, phase) = (random.NextDouble() * 0.01 + 0.001, random.NextDouble() * 0.01 + 0.001, random.NextDouble() * 6);
    for (var y = 0; y < height; y++)
    {
        for (var x = 0; x < width; x++)
        {
            var i = (y * width + x) * 4;
            var grain = random.Next(-12, 13);
            pixels[i] = (byte)Math.Clamp(128 + 100 * Math.Sin(x * fx + phase) + grain, 0, 255);
            pixels[i + 1] = (byte)Math.Clamp(128 + 100 * Math.Sin(y * fy + 2 * phase) + grain, 0, 255);
            pixels[i + 2] = (byte)Math.Clamp(128 + 100 * Math.Sin((x + y) * (fx + fy) / 2) + grain, 0, 255);
            pixels[i + 3] = 255;
        }
    }
    using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
    using var file = File.Create(Path.Combine(folder, $"photo-{n:D3}.jpg"));
    data.SaveTo(file);
});
CS
  (cd "$work/photo-maker" && dotnet run make-photos.cs -- "$folder" "$count" >"$work/photo-maker.log" 2>&1) || {
    echo "Could not draw the test photos:" >&2; cat "$work/photo-maker.log" >&2; exit 1; }
}

# upload_photo jar token file → "http_code seconds media_address": one picture POSTed to /admin/media as the editor's
# script sends it (multipart file, alt text, antiforgery token, Accept: application/json). The address is the
# fallback file named in the Markdown of the answer; "-" when there is none.
upload_photo() {
  local jar="$1" token="$2" file="$3"
  local answer="$work/upload-$(basename "$file").json"
  local status; status=$(curl -s -o "$answer" -w '%{http_code} %{time_total}' -b "$jar" -H 'Accept: application/json' \
    -F "file=@$file;type=image/jpeg" -F "altText=A benchmark photo, $(basename "$file")" -F "__RequestVerificationToken=$token" \
    "http://127.0.0.1:$quire_port/admin/media")
  local address; address=$(grep -o '/media/[0-9a-f]\{20\}-[0-9]*\.\(jpg\|png\)' "$answer" | head -n 1 || true)
  echo "$status ${address:--}"
}

# The pictures: a small blog, then as its owner the upload-to-ready time of 12-megapixel JPEGs (each a new picture),
# the memory peak during a burst of concurrent uploads, and two reading scenarios against nginx serving the same
# bytes: a post with 10 pictures (the page itself) and one picture file (the 960-px WebP).
run_pictures() {
  local name=pictures uploads="${UPLOADS:-10}" burst="${BURST:-10}"
  [ "$uploads" -lt 10 ] && uploads=10   # the post shows 10 of them
  local data="$work/data-pictures"
  echo "Generating the pictures' blog (${PICTURE_POSTS:-100} posts) and $((uploads + burst)) photos..."
  Blog__DataDirectory="$data" Logging__LogLevel__Default=Warning dotnet "$app_dll" generate-data \
    --posts "${PICTURE_POSTS:-100}" --comments "${PICTURE_COMMENTS:-10000}" >"$work/urls-pictures.txt"
  # shellcheck disable=SC1090
  source "$work/urls-pictures.txt"   # OWNER_EMAIL MEMBER_PASSWORD …
  make_photos "$work/photos" "$((uploads + burst))"
  local photos=("$work"/photos/photo-*.jpg)
  local photo_bytes; photo_bytes=$(stat -c %s "${photos[0]}")

  start_quire "$data"
  local base="http://127.0.0.1:$quire_port" jar="$work/cookies-owner"
  curl -fs -c "$jar" -b "$jar" "$base/account/sign-in" -o "$work/signin.html"
  curl -fs -c "$jar" -b "$jar" -o /dev/null --data-urlencode "__RequestVerificationToken=$(antiforgery_token "$work/signin.html")" \
    --data-urlencode "Email=$OWNER_EMAIL" --data-urlencode "Password=$MEMBER_PASSWORD" "$base/account/sign-in"
  curl -fs -c "$jar" -b "$jar" "$base/admin/media" -o "$work/media-page.html" || true
  local token; token=$(antiforgery_token "$work/media-page.html")
  if [ -z "$token" ]; then
    echo "The owner could not sign in, or /admin/media shows no upload form (is the media library in this build?)." >&2; exit 1
  fi

  # Upload to ready: the answer comes once every width is written and the rows committed; the picture's file is then
  # fetched to prove it is served. One at a time, each a photo the blog has not seen.
  local upload_ms=() addresses=() i
  for i in $(seq 0 $((uploads - 1))); do
    read -r status seconds address <<<"$(upload_photo "$jar" "$token" "${photos[i]}")"
    if [ "$status" != 200 ] || [ "$address" = - ] || ! curl -fso /dev/null "$base$address"; then
      echo "Uploading ${photos[i]} failed: HTTP $status, answer: $(head -c 300 "$work/upload-$(basename "${photos[i]}").json")" >&2; exit 1
    fi
    upload_ms+=("$(awk -v s="$seconds" 'BEGIN { printf "%.0f", s * 1000 }')")
    addresses+=("$address")
  done
  local upload_median; upload_median=$(median_of_column 1 "${upload_ms[@]}")
  local upload_sorted; upload_sorted=$(printf '%s\n' "${upload_ms[@]}" | sort -n | tr '\n' ' ')

  # The burst: that many uploads at once (the blog decodes one at a time, the rest wait), resident memory sampled
  # every 0.1 s throughout.
  local rss_before; rss_before=$(awk '/VmRSS/ { print $2 }' "/proc/$app_pid/status")
  : >"$work/rss-burst"
  sample_rss "$work/rss-burst" &
  local sampler=$! burst_started; burst_started=$(date +%s%N)
  local pids=()
  for i in $(seq "$uploads" $((uploads + burst - 1))); do
    upload_photo "$jar" "$token" "${photos[i]}" >"$work/burst-$i.txt" &
    pids+=($!)
  done
  wait "${pids[@]}"
  local burst_ms=$(( ($(date +%s%N) - burst_started) / 1000000 ))
  sleep 0.5
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  local burst_ok; burst_ok=$(cat "$work"/burst-*.txt | awk '$1 == 200 && $3 != "-"' | wc -l)
  local burst_rss; burst_rss=$(sort -n "$work/rss-burst" | tail -n 1)

  # A post showing ten of the pictures, published through the editor as an author would.
  local body="" k
  for k in $(seq 0 9); do
    body+="Paragraph $((k + 1)) of a post with pictures: a few sentences of text between them, as a travel post has."$'\n\n'
    body+="![A benchmark photo, number $((k + 1))](${addresses[k]})"$'\n\n'
  done
  curl -fs -c "$jar" -b "$jar" "$base/admin/posts/new" -o "$work/editor.html"
  local location; location=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$jar" -b "$jar" \
    --data-urlencode "__RequestVerificationToken=$(antiforgery_token "$work/editor.html")" \
    --data-urlencode "Title=Ten pictures" --data-urlencode "Body=$body" --data-urlencode "AllowComments=true" \
    --data-urlencode "Command=publish" "$base/admin/posts/new")
  curl -fs -b "$jar" "$location" -o "$work/editor-saved.html" || true
  local post; post=$(grep -o '<a href="[^"]*">View it</a>' "$work/editor-saved.html" | sed 's/^<a href="//; s/">View it<\/a>$//; s#^https\{0,1\}://[^/]*##' || true)
  local pictures_on_page; pictures_on_page=$(curl -fs "$base${post:-/-}" | grep -o '<picture' | wc -l || true)
  if [ -z "$post" ] || [ "$pictures_on_page" -lt 10 ]; then
    echo "The post with pictures was not published or shows $pictures_on_page <picture> elements (editor answered $location)." >&2; exit 1
  fi

  # nginx serves the same bytes: the post page as the blog sent it, and the picture file, with their types.
  local static="$work/static-pictures" file; file="${addresses[0]%.*}"; file="${file#/media/}"
  file="${file%-*}-960.webp"
  mkdir -p "$static/media"
  curl -fs "$base$post" -o "$static/post.html"
  curl -fs "$base/media/$file" -o "$static/media/$file"
  start_nginx "$static" "  types { text/html html; image/webp webp; image/jpeg jpg; image/png png; }"
  chmod a+rx "$static/media" && chmod a+r "$static/media/$file"
  if ! curl -fs "http://127.0.0.1:$nginx_port/media/$file" | cmp -s - "$static/media/$file"; then
    echo "nginx does not serve the saved picture file as it is." >&2; exit 1
  fi

  if [ "$warmup_seconds" -gt 0 ]; then
    printf 'local paths = { "%s", "%s" }\nlocal i = 0\nrequest = function() i = i %% #paths + 1; return wrk.format("GET", paths[i]) end\n' \
      "$post" "/media/$file" >"$work/warmup-pictures.lua"
    wrk -t"$threads" -c"$connections" -d"${warmup_seconds}s" -s "$work/warmup-pictures.lua" "$base" >/dev/null
  fi
  local rows=() ref_total=0 ref_runs=0
  run_pair "post, 10 pictures" "$post"
  run_pair "picture file, 960 WebP" "/media/$file" "/media/$file"
  local rss_kb; rss_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$app_pid/status")

  echo
  echo "Pictures — $(nproc) cores, wrk -t$threads -c$connections, ${slices} × ${slice_seconds} s per scenario alternating with nginx serving the same bytes"
  printf '%-28s %10s %9s %9s %9s %8s %7s\n' "scenario" "req/s" "p50 ms" "p99 ms" "worst p99" "vs nginx" "errors"
  printf '%s\n' "${rows[@]}"
  echo "upload to ready, 12-megapixel JPEG ($((photo_bytes / 1024)) kB): median ${upload_median} ms of $uploads uploads, one at a time (each, ms: ${upload_sorted% })"
  echo "burst of $burst concurrent uploads: $burst_ok of $burst ready in ${burst_ms} ms; peak RSS $(( ${burst_rss:-0} / 1024 )) MB ($((rss_before / 1024)) MB as it began)"
  echo "post page: $(stat -c %s "$static/post.html") bytes with $pictures_on_page pictures; picture file $file: $(stat -c %s "$static/media/$file") bytes"
  echo "cold start to first 200: ${cold_start_ms} ms; peak RSS: $((rss_kb / 1024)) MB"

  stop_quire
  kill "$(cat "$work/nginx.pid")"; rm -f "$work/nginx.pid"
}

# Export a generated blog as WXR, import it into an empty blog with the import command, and report each command's
# duration and peak RSS (from /usr/bin/time -v): the memory an import needs must not grow with the file.
run_import() {
  local posts="${IMPORT_POSTS:-7000}" comments="${IMPORT_COMMENTS:-70000}" min_mb="${IMPORT_MIN_MB:-100}"
  local source="$work/import-source" target="$work/import-target" file="$work/import-wordpress.xml"
  if ! grep -q '\["import"\]' "$repo/src/Blog.Web/Commands/BlogCommands.cs"; then
    echo "This build has no import command: the import run needs it." >&2; exit 1
  fi
  if [ ! -x /usr/bin/time ]; then
    echo "The import run needs GNU time: sudo apt-get install -y time" >&2; exit 1
  fi
  echo "Generating the import run's blog ($posts posts, $comments comments)..."
  Blog__DataDirectory="$source" Logging__LogLevel__Default=Warning dotnet "$app_dll" generate-data --posts "$posts" --comments "$comments" >/dev/null
  sync
  echo "Exporting it as WordPress WXR..."
  Blog__DataDirectory="$source" Logging__LogLevel__Default=Warning /usr/bin/time -v -o "$work/export-time.txt" \
    dotnet "$app_dll" export --format wordpress "$file" >/dev/null
  local bytes; bytes=$(stat -c %s "$file")
  if [ "$bytes" -lt $(( min_mb * 1024 * 1024 )) ]; then
    echo "The export is $(( bytes / 1024 / 1024 )) MB, under IMPORT_MIN_MB=$min_mb: raise IMPORT_POSTS/IMPORT_COMMENTS." >&2; exit 1
  fi
  sync
  echo "Importing it into an empty blog..."
  QUIRE_OWNER_PASSWORD="benchmark owner password 1" Blog__DataDirectory="$target" Logging__LogLevel__Default=Warning \
    dotnet "$app_dll" create-owner --email owner@import.example --name "Import Owner" --base-url https://import.example >/dev/null
  Blog__DataDirectory="$target" Logging__LogLevel__Default=Warning /usr/bin/time -v -o "$work/import-time.txt" \
    dotnet "$app_dll" import "$file" >"$work/import-report.txt" 2>"$work/import-progress.txt"

  # "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34" → seconds; "Maximum resident set size (kbytes): N" → MB.
  timed() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; secs = s }
               /Maximum resident set size/ { rss = $2 }
               END { printf "%10.1f %12d", secs, rss / 1024 }' "$1"
  }
  echo
  echo "Import — $(nproc) cores; a generated blog of $posts posts and $comments comments, as a $(( bytes / 1024 / 1024 )) MB WordPress export"
  printf '%-28s %10s %12s\n' "command" "seconds" "peak RSS MB"
  printf '%-28s %s\n' "export --format wordpress" "$(timed "$work/export-time.txt")"
  printf '%-28s %s\n' "import (into an empty blog)" "$(timed "$work/import-time.txt")"
  echo "The import's report:"
  sed 's/^/  /' "$work/import-report.txt" | head -n 40
}

# as_postgres command…: PostgreSQL refuses to run as root; as root, its commands run as the postgres user.
as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres: a private PostgreSQL in the work folder on 127.0.0.1:5083 (its socket in the folder too), with a
# role and database "quire" for the blog, a password on TCP, deleted with the folder. The server's defaults except
# two settings: max_connections 250 (two instances' connection pools, 100 each at most, must fit) and
# synchronous_commit off, PostgreSQL's counterpart of the SQLite blog's synchronous=NORMAL: a commit returns before
# its log is flushed to disk, so a crash can lose the last moment of commits but never corrupts the database.
start_postgres() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$bin" ] && [ "$(id -u)" = "0" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [ -z "$bin" ]; then echo "The postgresql set needs PostgreSQL's server: sudo apt-get install -y postgresql" >&2; exit 1; fi
  local dir="$work/postgresql"
  mkdir -p "$dir"
  if [ "$(id -u)" = "0" ]; then chmod a+rx "$work"; chown postgres "$dir"; fi
  if ! as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1; then
    echo "Could not create a PostgreSQL cluster:" >&2; tail -n 5 "$dir/initdb.log" >&2; exit 1
  fi
  postgres_ctl="$bin/pg_ctl"
  if ! as_postgres "$postgres_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $postgres_port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=250 -c synchronous_commit=off" >/dev/null; then
    echo "Could not start PostgreSQL:" >&2; tail -n 5 "$dir/server.log" >&2; exit 1
  fi
  local password; password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  as_postgres "$bin/psql" -h "$dir" -p "$postgres_port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE quire LOGIN PASSWORD '$password';" -c "CREATE DATABASE quire OWNER quire;" >/dev/null
  postgres_connection="Host=127.0.0.1;Port=$postgres_port;Username=quire;Password=$password;Database=quire"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$postgres_port"
}

# start_redis: a private redis-server on 127.0.0.1:5084 with a password, keeping nothing on disk.
start_redis() {
  if ! need redis-server && [ "$(id -u)" = "0" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if ! need redis-server; then echo "The postgresql set needs redis-server: sudo apt-get install -y redis-server" >&2; exit 1; fi
  local password; password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
  redis-server --bind 127.0.0.1 --port "$redis_port" --requirepass "$password" --save "" --appendonly no --dir "$work" \
    >"$work/redis.log" 2>&1 &
  redis_pid=$!
  until redis-cli -p "$redis_port" -a "$password" --no-auth-warning ping 2>/dev/null | grep -q PONG; do
    if ! kill -0 "$redis_pid" 2>/dev/null; then echo "redis-server did not start:" >&2; cat "$work/redis.log" >&2; exit 1; fi
    sleep 0.05
  done
  redis_connection="127.0.0.1:$redis_port,password=$password"
}

# nginx in front of the two instances (the postgresql set's third setup), beside the static reference: each request to
# the next instance, over kept-alive connections, with the headers the blog reads behind a proxy.
proxy_config() {
  cat <<CONF
  upstream quire_instances { server 127.0.0.1:$quire_port; server 127.0.0.1:$second_port; keepalive 64; }
  server {
    listen 127.0.0.1:$proxy_port;
    location / {
      proxy_pass http://quire_instances;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
CONF
}

# measure_setup label: the home page, the 50-comment post and the comment POST on the blog at base (after the
# warm-up), printed as one table under label. It sets name (the key of its figures in vs_nginx and rates).
measure_setup() {
  name="$1"
  warm_up / "$POST_50"
  local rows=() ref_total=0 ref_runs=0
  run_pair "home page" /
  run_pair "post, 50 comments" "$POST_50"
  measure_comments
  echo
  echo "$name — $(nproc) cores, wrk -t$threads -c$connections, ${slices} × ${slice_seconds} s per page alternating with nginx"
  printf '%-28s %10s %9s %9s %9s %8s %7s\n' "scenario" "req/s" "p50 ms" "p99 ms" "worst p99" "vs nginx" "errors"
  printf '%s\n' "${rows[@]}"
  printf '%-28s %10s\n' "nginx static reference" "$((ref_total / ref_runs))"
}

# peak_rss pid…: each process's peak resident memory in MB.
peak_rss() {
  local pid
  for pid in "$@"; do awk '/VmHWM/ { printf "%d MB ", $2 / 1024 }' "/proc/$pid/status"; done
}

# The small set three ways, one after the other, each alone on the machine, against the same nginx reference: the blog
# on SQLite; on PostgreSQL; two instances on PostgreSQL sharing one Redis, behind nginx. Then PostgreSQL's figures as
# ratios to SQLite's.
run_postgresql() {
  local posts="${SMALL_POSTS:-100}" comments="${SMALL_COMMENTS:-10000}" base
  start_postgres
  start_redis
  local on_postgres=(Blog__Database__Provider=PostgreSQL "ConnectionStrings__Blog=$postgres_connection")
  local shared=("${on_postgres[@]}" "ConnectionStrings__Redis=$redis_connection" Blog__ReverseProxy__Enabled=true)
  echo "Generating the small data set on SQLite and on PostgreSQL ($posts posts, $comments comments each)..."
  generate_set "$work/data-sqlite" "$work/urls-sqlite.txt" "$posts" "$comments"
  generate_set "$work/data-postgresql-1" "$work/urls-postgresql.txt" "$posts" "$comments" "${on_postgres[@]}"
  local setups=("SQLite, one instance" "PostgreSQL, one instance" "PostgreSQL, two instances + Redis")

  # shellcheck disable=SC1090
  source "$work/urls-sqlite.txt"
  start_quire "$work/data-sqlite"
  base="http://127.0.0.1:$quire_port"
  mkdir -p "$work/static-postgresql"
  curl -fs "$base$POST_50" -o "$work/static-postgresql/post.html"
  start_nginx "$work/static-postgresql" "$(proxy_config)"
  measure_setup "${setups[0]}"
  echo "cold start to first 200: ${cold_start_ms} ms; peak RSS: $(peak_rss "$app_pid")"
  stop_quire

  # shellcheck disable=SC1090
  source "$work/urls-postgresql.txt"
  start_quire "$work/data-postgresql-1" "$quire_port" "${on_postgres[@]}"
  measure_setup "${setups[1]}"
  echo "cold start to first 200: ${cold_start_ms} ms; peak RSS: $(peak_rss "$app_pid")"
  stop_quire

  # Each instance has a data folder of its own; the database, the keys, the reader cache and the limits are shared.
  start_quire "$work/data-postgresql-1" "$quire_port" "${shared[@]}"
  local first_pid="$app_pid" first_start="$cold_start_ms"
  start_quire "$work/data-postgresql-2" "$second_port" "${shared[@]}"
  base="http://127.0.0.1:$proxy_port"
  if ! curl -fso /dev/null "$base$POST_50"; then echo "nginx does not pass the post page on to the two instances." >&2; exit 1; fi
  measure_setup "${setups[2]}"
  echo "cold start to first 200: ${first_start} and ${cold_start_ms} ms; peak RSS: $(peak_rss "$first_pid" "$app_pid")"
  stop_quire "$first_pid"
  stop_quire
  kill "$(cat "$work/nginx.pid")"; rm -f "$work/nginx.pid"

  # Pages through their share of the nginx reference measured beside each (the machine's noise falls on both sides);
  # comment POSTs have no reference, so their raw rates, measured minutes apart.
  echo
  echo "PostgreSQL against SQLite (pages: share of nginx against SQLite's share; comment POSTs: requests/s against SQLite's)"
  printf '%-28s %14s %14s %14s\n' "scenario" "SQLite req/s" "PG, 1 inst." "PG, 2 + Redis"
  local scenario
  for scenario in "home page" "post, 50 comments" "comment POST (members)"; do
    local sqlite="${rates[${setups[0]}|$scenario]}" cells=() setup
    for setup in "${setups[@]:1}"; do
      if [ -n "${vs_nginx[$setup|$scenario]:-}" ]; then
        cells+=("$(awk -v a="${vs_nginx[$setup|$scenario]}" -v b="${vs_nginx[${setups[0]}|$scenario]}" 'BEGIN { printf "%.2f×", a / b }')")
      else
        cells+=("$(awk -v a="${rates[$setup|$scenario]}" -v b="$sqlite" 'BEGIN { printf "%.2f×", (b > 0 ? a / b : 0) }')")
      fi
    done
    printf '%-28s %14s %14s %14s\n' "$scenario" "$sqlite" "${cells[0]}" "${cells[1]}"
  done
}

read_scenarios=("home page" "deepest home page" "post, 50 comments" "post, 5,000 comments (p.1)" "label page" "search" "Atom feed")
declare -A vs_nginx   # "set|scenario" → requests/s as a percentage of the nginx reference measured beside it
declare -A rates      # "set|scenario" → requests/s
for set in "${sets[@]}"; do
  case "$set" in
    pictures) run_pictures ;;
    import) run_import ;;
    postgresql) run_postgresql ;;
    *) run_set "$set" ;;
  esac
done

# The large set against the small one, each scenario through its ratio to the nginx reference measured alongside:
# raw requests/s from runs minutes apart differ by the machine's noise as much as by the data.
if [ -n "${vs_nginx[small|${read_scenarios[0]}]:-}" ] && [ -n "${vs_nginx[large|${read_scenarios[0]}]:-}" ]; then
  echo
  echo "Large data set against small (each as a share of its own nginx reference)"
  for scenario in "${read_scenarios[@]}"; do
    printf '%-28s %8s\n' "$scenario" "$(awk -v l="${vs_nginx[large|$scenario]}" -v s="${vs_nginx[small|$scenario]}" 'BEGIN { printf "%.1f%%", 100 * l / s }')"
  done
fi
