#!/usr/bin/env bash
# make fuzz: schemathesis against the project's own OpenAPI schema (/api/schema/), as department
# staff and as a reviewer, on a throwaway PostgreSQL database, with production settings (DEBUG off)
# behind gunicorn. Bounded in time (FUZZ_SECONDS per role, default 75). Fails on any server error
# (5xx), counted from gunicorn's access log. It also checks that each response is one the schema
# describes (status code, content type, headers, body) and prints any mismatch; FUZZ_STRICT=1
# fails on those too. positive_data_acceptance is not run: a request can match the schema and
# still be refused by the rules (an unknown category, another tenant's department), a correct 400.
#
#   FUZZ_SECONDS=75 FUZZ_STRICT=1 FUZZ_CHECKS=all FUZZ_PORT=8765 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
ROOT=$(pwd)
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
PORT=${FUZZ_PORT:-8765}
SECONDS_PER_ROLE=${FUZZ_SECONDS:-75}
CHECKS=${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance}
export PGHOST PGPORT PGUSER

DB="govproj_fuzz_$$"
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  dropdb --if-exists "$DB" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Production settings, as deployed, except what plain HTTP on the loopback needs.
export DJANGO_SETTINGS_MODULE=govproj.settings.production
DJANGO_SECRET_KEY=$("$BIN/python" -c "import secrets; print(secrets.token_urlsafe(64))")
export DJANGO_SECRET_KEY
export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${DB}"
export CELERY_BROKER_URL="${REDIS_URL}/3" CELERY_RESULT_BACKEND="${REDIS_URL}/4"
export DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_SECURE_HSTS_SECONDS=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_LOG_LEVEL=WARNING
# Generous limits: the fuzzer is one client sending thousands of requests and wrong passwords.
export DRF_THROTTLE_ANON=1000000/minute DRF_THROTTLE_USER=1000000/minute DRF_THROTTLE_TOKEN=1000000/minute
export AXES_FAILURE_LIMIT=1000000

createdb "$DB"
"$BIN/python" manage.py migrate --noinput -v 0
"$BIN/python" manage.py load_rulepacks -v 0 >/dev/null
"$BIN/python" manage.py seed_demo -v 0 >/dev/null
PASSWORD=$("$BIN/python" manage.py shell --no-imports -c "from projects.management.commands.seed_demo import PASSWORD; print(PASSWORD)" | tail -1)

"$BIN/gunicorn" govproj.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 --threads 2 \
  --timeout 60 --access-logfile "$WORK/access.log" --access-logformat '%(s)s %(m)s %(U)s' \
  --error-logfile "$WORK/error.log" &
SERVER_PID=$!
BASE="http://127.0.0.1:${PORT}"
for _ in $(seq 1 60); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/schema/")" != "000" ] && break
  sleep 0.5
done

token_for() {
  curl -fsS -X POST "$BASE/api/v1/auth/token/" -H "Content-Type: application/json" \
    -d "{\"username\": \"$1\", \"password\": \"$PASSWORD\"}" |
    "$BIN/python" -c "import json, sys; print(json.load(sys.stdin)['token'])"
}

START=$(date +%s)
FAILED=0
run_as() {  # run_as LABEL USERNAME [schemathesis options...]
  local label=$1 username=$2
  shift 2
  local token
  token=$(token_for "$username")
  curl -fsS "$BASE/api/schema/?format=json" -H "Authorization: Token $token" -o "$WORK/schema.json"
  printf '\n=== fuzz as %s (%s)\n' "$label" "$username"
  # From the scratch directory, so schemathesis' and hypothesis' caches stay out of the tree.
  (cd "$WORK" && "$ROOT/$BIN/schemathesis" run schema.json --url "$BASE" -H "Authorization: Token $token" \
    --checks "${RUN_CHECKS:-$CHECKS}" --max-time "$SECONDS_PER_ROLE" --request-timeout 30 --no-shrink \
    --suppress-health-check all --warnings off --seed 6 "$@") || FAILED=$((FAILED + 1))
}
# Signing out and revoking tokens would end the session under test: those run last, on their own token.
SESSION_ENDING='^/api/v1/auth/(logout|tokens/\{key\})/$'
run_as "department staff" baotou_staff --exclude-path-regex "$SESSION_ENDING"
run_as "reviewer" baotou_reviewer --exclude-path-regex "$SESSION_ENDING"
SECONDS_PER_ROLE=10 RUN_CHECKS=not_a_server_error run_as "department staff, signing out" baotou_staff --include-path-regex "$SESSION_ENDING"
END=$(date +%s)

kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
# One line per request, "status method path"; a fuzzed path may hold a newline, so count statuses.
grep -E '^[1-5][0-9]{2} ' "$WORK/access.log" >"$WORK/requests.log" || true
REQUESTS=$(wc -l <"$WORK/requests.log")
SERVER_ERRORS=$(grep -c '^5' "$WORK/requests.log" || true)
OPERATIONS=$("$BIN/python" -c "
import json; schema = json.load(open('$WORK/schema.json'))
print(sum(1 for ops in schema['paths'].values() for m in ops if m in ('get', 'post', 'put', 'patch', 'delete')))")
printf '\n=== fuzz figures\nrequests: %s\noperations in the schema: %s\nduration: %ss\nserver errors (5xx): %s\n' \
  "$REQUESTS" "$OPERATIONS" "$((END - START))" "$SERVER_ERRORS"
awk '{print $1}' "$WORK/requests.log" | sort | uniq -c | sort -rn | awk '{printf "  %s × %s\n", $1, $2}'
if [ "$SERVER_ERRORS" -gt 0 ]; then
  grep '^5' "$WORK/requests.log" | sort | uniq -c | head -20
  tail -50 "$WORK/error.log"
fi
printf 'roles with schema mismatches: %s\n' "$FAILED"
[ "$SERVER_ERRORS" -eq 0 ] && { [ "${FUZZ_STRICT:-0}" != 1 ] || [ "$FAILED" -eq 0 ]; }
