#!/usr/bin/env bash
# What the Dockerfile does, done outside a container (this machine cannot pull base images):
#   build stage    the build (`npm run build`, here only when the sources are newer than dist/)
#   deps stage     `npm ci --omit=dev --ignore-scripts` from the lock file, in an empty directory
#   final stage    dist/, bin/, package.json and those node_modules only, NODE_ENV=production
# then starts that copy against a fresh PostgreSQL database, asks the image's HEALTHCHECK command,
# /api/health and /metrics (with METRICS_TOKEN), runs `creditbank doctor` as the image would, stops
# the server with SIGTERM and checks that it exits cleanly. The database and the copy are removed.
#   CONTAINER_CHECK_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
base="${CONTAINER_CHECK_DATABASE_URL:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}"
work=$(mktemp -d /tmp/cb-container-XXXXXX)
db="cb_container_$(date +%s)_$$"
server=""
started=$SECONDS
say() { echo "container-check: $1 (at $((SECONDS - started)) s)"; }
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server" 2>/dev/null || true; fi
  psql "$base" -qtAc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "container-check: FAILED: $1" >&2; [ -f "$work/server.log" ] && tail -n 40 "$work/server.log" >&2; exit 1; }

say "build (npm run build when stale)"
node scripts/build-if-stale.mjs

say "production dependencies: npm ci --omit=dev --ignore-scripts"
mkdir -p "$work/app"
cp package.json package-lock.json "$work/app/"
(cd "$work/app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
cp -r dist bin "$work/app/"
[ ! -e "$work/app/src" ] || fail "the copy must not hold the sources"

say "start against PostgreSQL (fresh database $db)"
psql "$base" -qtAc "create database $db" >/dev/null
url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$base" "$db")
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
token=$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')
export NODE_ENV=production HOST=127.0.0.1 PORT="$port" DATA_DIR="$work/data" DATABASE_URL="$url" \
  PUBLIC_URL="http://127.0.0.1:$port" METRICS_TOKEN="$token" LOG_LEVEL=info \
  CREDENTIALS_MASTER_KEY="$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')"
mkdir -p "$DATA_DIR"

# production refuses to start without its settings, naming each
if (cd "$work/app" && env -u PUBLIC_URL -u CREDENTIALS_MASTER_KEY node dist/main.js >"$work/refused.log" 2>&1); then fail "started without PUBLIC_URL and a master key"; fi
grep -q 'PUBLIC_URL' "$work/refused.log" && grep -q 'CREDENTIALS_MASTER_KEY' "$work/refused.log" || fail "the refusal does not name both settings: $(cat "$work/refused.log")"

(cd "$work/app" && exec node dist/main.js) >"$work/server.log" 2>&1 &
server=$!
healthcheck() { (cd "$work/app" && node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"); }
for _ in $(seq 1 300); do
  kill -0 "$server" 2>/dev/null || fail "the server stopped at start"
  if healthcheck; then break; fi
  sleep 0.2
done
healthcheck || fail "not ready after 60 s"
say "ready (the image's HEALTHCHECK command answers)"

curl -fsS "http://127.0.0.1:$port/api/health" | grep -q '"status"' || fail "/api/health"
curl -fsS "http://127.0.0.1:$port/api/ready" | grep -q '"ready"' || fail "/api/ready"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")
[ "$code" = 401 ] || fail "/metrics without the token answered $code, not 401"
curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" >"$work/metrics.txt" || fail "/metrics with the token"
for m in creditbank_http_requests_total creditbank_http_request_duration_seconds_bucket creditbank_db_pool_connections creditbank_process_cpu_seconds_total; do
  grep -q "^$m" "$work/metrics.txt" || fail "/metrics lacks $m"
done
curl -fsS "http://127.0.0.1:$port/" | grep -qi '<html' || fail "the web app is not served"
say "/api/health, /api/ready, /metrics and the web app answer"

(cd "$work/app" && node bin/creditbank.js doctor --skip-log) >"$work/doctor.log" 2>&1 || { cat "$work/doctor.log"; fail "creditbank doctor"; }
say "creditbank doctor: $(tail -n 1 "$work/doctor.log")"

kill -TERM "$server"
set +e
wait "$server"
rc=$?
set -e
server=""
[ "$rc" = 0 ] || fail "the server exited $rc after SIGTERM"
grep -q '"msg":"stopped"' "$work/server.log" || fail "no 'stopped' line in the log after SIGTERM"
say "stopped cleanly on SIGTERM (exit 0)"
