#!/usr/bin/env bash
# Container smoke test without Docker: builds the service the way the Dockerfile does and runs
# the result the way `docker compose up` would on a fresh clone, with no .env: the sandbox, against
# the local PostgreSQL and Redis. No fakes: the service's own Bot API emulator and demo responder answer.
#
#   scripts/container-smoke.sh            (about a minute; needs node, npm, git, psql, redis-cli, curl)
#
# Steps, each printed with PASS/FAIL and its time:
#   1. context: the repository's files as `docker build` would get them: tracked and untracked
#      files that git does not ignore (`git ls-files -co --exclude-standard`, uncommitted work
#      included), minus .dockerignore's usual suspects (.env), copied to a temp dir.
#   2. replay: every stage of ./Dockerfile is replayed in its own dir: its COPY lines (from the
#      context or `--from=<stage>`), ENV and RUN lines exactly as written (so `npm ci`,
#      `npm run build`, `npm ci --omit=dev` are the Dockerfile's own), with a fresh npm cache
#      like a fresh `docker build`. WORKDIR /app maps to the stage's dir.
#   3. the final stage holds the compiled service and migrations and no dev dependencies.
#   4. a scratch database support_bot_smoke_test is created; the image's migrate command runs
#      twice from the final stage (the second run must find nothing to do, as on every
#      `docker compose up`).
#   5. the Dockerfile's CMD starts from the final stage's dir with only the image's ENV and what
#      docker-compose.yml itself sets (`env -i`; no .env, no BOT_TOKEN, no LLM key), as an
#      unprivileged user when run as root (like USER node): an empty environment exits 2; then
#      compose's two processes, app (SERVICE_ROLE=web, hosting the sandbox) and worker (reaching it
#      at SANDBOX_WEB_URL); /healthz and both /readyz answer 200; app logs "open
#      http://localhost:<port>/sandbox; set BOT_TOKEN in .env to go live"; the page at /sandbox
#      and its script and styles answer 200 (the build copied them into dist/); the Dockerfile's
#      HEALTHCHECK command exits 0; a webhook update without the emulator's secret gets 401; a
#      user added through the sandbox's JSON API (POST /sandbox/api/users, then
#      /sandbox/api/users/<id>/messages) is answered by the demo responder from the image's
#      knowledge/ (emulator -> webhook -> inbox -> worker -> Bot API), read from
#      GET /sandbox/api/state, within 20 s.
#   6. SIGTERM: both processes exit 0 within 30 s (compose's stop_grace_period).
# Processes and the temp dir are cleaned up on exit; the scratch database is dropped on success
# and kept on failure for a look.
#
# What it cannot prove: the base image (Node 22, npm 10, Debian slim) — this machine's node and
# npm run the steps; file ownership and the `node` user of the image; the HEALTHCHECK timing
# options; networking between compose services (loopback ports stand in for app:8080).
# scripts/check-compose.sh checks the compose file. Production mode (a filled .env) is what the
# test suite's end-to-end stories run.
#
# Settings (environment): SMOKE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/support_bot_smoke_test;
# the name must contain "test"), SMOKE_REDIS_URL (default redis://127.0.0.1:6379/13; flushed, so it
# may not be 0, 14 (bench/) or 15 (the tests)), SMOKE_KEEP_TMP=1 keeps the temp dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKERFILE="$ROOT/Dockerfile"
SMOKE_DATABASE_URL="${SMOKE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/support_bot_smoke_test}"
SMOKE_REDIS_URL="${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/13}"
export GIT_OPTIONAL_LOCKS=0   # read git, never write its index

T0=$(date +%s%N)
STEP_T0=$T0
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
step() { STEP_T0=$(date +%s%N); echo "== $*"; }
pass() { echo "PASS: $* ($(ms_since "$STEP_T0") ms)"; }
FAILED=0
fail() {
  FAILED=1
  # stdout, like the PASS lines, so that the report reads in order in any log.
  echo "FAIL: $*"
  if [ -n "${APP_LOG:-}" ] && [ -s "$APP_LOG" ]; then
    echo "---- last lines of the service's log ----"
    tail -n 40 "$APP_LOG"
  fi
  exit 1
}

# ---- temp dir, processes, clean-up ----------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/support-bot-smoke.XXXXXX")"
chmod 755 "$TMP"   # the unprivileged user must reach the final stage's dir
APP_PID=''
WORKER_PID=''
DB_CREATED=0

cleanup() {
  local rc=$?
  set +e
  trap - ERR
  for pid in "$WORKER_PID" "$APP_PID"; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
  done
  if [ "$DB_CREATED" = 1 ] && [ "$rc" = 0 ] && [ "$FAILED" = 0 ]; then
    psql "$ADMIN_URL" -qAt -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1
  elif [ "$DB_CREATED" = 1 ]; then
    echo "note: kept database $DB_NAME for a look; the next run drops it" >&2
  fi
  if [ "${SMOKE_KEEP_TMP:-0}" = 1 ]; then echo "note: kept $TMP" >&2; else rm -rf "$TMP"; fi
  if [ "$rc" = 0 ] && [ "$FAILED" = 0 ]; then
    echo "PASS: container smoke test ($(( $(ms_since "$T0") / 1000 )) s)"
  else
    echo "FAIL: container smoke test ($(( $(ms_since "$T0") / 1000 )) s)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "FAIL: scripts/container-smoke.sh stopped at line $LINENO (command exited $?)"' ERR
trap 'echo "FAIL: interrupted (SIGINT)"; exit 130' INT
trap 'echo "FAIL: interrupted (SIGTERM)"; exit 143' TERM

for tool in node npm git psql redis-cli curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed: the smoke test needs node, npm, git, psql, redis-cli and curl"
done
[ -f "$DOCKERFILE" ] || fail "no Dockerfile at $DOCKERFILE"

DB_NAME="$(node -e 'console.log(new URL(process.argv[1]).pathname.slice(1))' "$SMOKE_DATABASE_URL")"
ADMIN_URL="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/postgres"; console.log(u.toString())' "$SMOKE_DATABASE_URL")"
case "$DB_NAME" in *test*) ;; *) fail "refusing to drop database \"$DB_NAME\": SMOKE_DATABASE_URL must name a database with \"test\" in its name" ;; esac
REDIS_DB="$(node -e 'console.log(new URL(process.argv[1]).pathname.slice(1) || "0")' "$SMOKE_REDIS_URL")"
case "$REDIS_DB" in
  0 | 14 | 15) fail "refusing to flush Redis database $REDIS_DB (0 is the default, 14 the benchmark's, 15 the tests'): set SMOKE_REDIS_URL to a spare one, e.g. redis://127.0.0.1:6379/13" ;;
esac

# ---- 1. the build context ---------------------------------------------------------------------
step "build context: files git does not ignore, from $ROOT"
CONTEXT="$TMP/context"
mkdir -p "$CONTEXT"
(
  cd "$ROOT"
  # -c lists tracked files even when deleted in the working tree: keep only those that exist.
  git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
    if [ -e "$f" ] || [ -L "$f" ]; then
      case "$f" in .env | .env.*) [ "$f" = .env.example ] || continue ;; esac   # as .dockerignore
      printf '%s\0' "$f"
    fi
  done | tar --null -T - -cf - | tar -xf - -C "$CONTEXT"
) || fail "could not copy the repository's files to $CONTEXT"
pass "$(find "$CONTEXT" -type f | wc -l) files in the context"

# ---- 2. replay the Dockerfile -----------------------------------------------------------------
# Prints the Dockerfile one instruction per line: continuation lines joined, comments dropped.
dockerfile_instructions() {
  awk '
    /^[[:space:]]*#/ { next }
    {
      line = $0
      if (line ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", line); buf = buf line " "; next }
      line = buf line; buf = ""
      if (line ~ /^[[:space:]]*$/) next
      sub(/^[[:space:]]+/, "", line)
      print line
    }' "$1"
}

# Docker's COPY semantics for the cases this Dockerfile uses: a directory's contents go into the
# destination; files go into it when it ends with / or there are several sources.
copy_into_stage() { # <stage dir> <source root> <dest> <sources...>
  local stage_dir=$1 source_root=$2 dest=$3
  shift 3
  case "$dest" in
    /app) dest=./ ;;
    /app/*) dest="./${dest#/app/}" ;;
    /*) fail "COPY to $dest: the replay knows only WORKDIR /app; extend scripts/container-smoke.sh" ;;
  esac
  local target="$stage_dir/${dest#./}" multiple=0 src match matched
  [ $# -gt 1 ] && multiple=1
  for src in "$@"; do
    case "$src" in /app/*) src="${src#/app/}" ;; /*) fail "COPY from $src: only paths under /app can be copied between stages" ;; esac
    matched=0
    for match in "$source_root"/$src; do
      [ -e "$match" ] || continue
      matched=1
      if [ -d "$match" ]; then
        mkdir -p "$target" && cp -a "$match/." "$target/"
      elif [ "$multiple" = 1 ] || [[ "$dest" == */ ]]; then
        mkdir -p "$target" && cp -a "$match" "$target/"
      else
        mkdir -p "$(dirname "$target")" && cp -a "$match" "$target"
      fi
    done
    [ "$matched" = 1 ] || fail "COPY $src: not found in $(basename "$source_root") (is it ignored by git or missing?)"
  done
}

# Replays every stage in order into $TMP/stage-<name>. Sets FINAL_STAGE, FINAL_ENV (array of
# NAME=value from the final stage's ENV lines), FINAL_USER, FINAL_CMD_JSON, HEALTHCHECK_JSON.
NPM_CACHE="$TMP/npm-cache"   # a fresh cache, as in a fresh docker build; `npm cache clean` cleans only this
replay_dockerfile() {
  local instr rest stage='' stage_dir='' workdir_ok=0 n=0 runs=0
  local -a stage_env=()
  FINAL_ENV=() FINAL_USER='' FINAL_CMD_JSON='' HEALTHCHECK_JSON=''
  while IFS= read -r line; do
    instr="${line%%[[:space:]]*}"
    rest="${line#"$instr"}"; rest="${rest#"${rest%%[![:space:]]*}"}"
    case "${instr^^}" in
      ARG) ;;   # build arguments only choose the base image, which the replay does not use
      FROM)
        n=$((n + 1))
        if [[ "$rest" =~ [[:space:]][Aa][Ss][[:space:]]+([A-Za-z0-9_.-]+)$ ]]; then stage="${BASH_REMATCH[1]}"; else stage="stage$n"; fi
        local base="${rest%%[[:space:]]*}"
        [ -d "$TMP/stage-$base" ] && fail "FROM $base: stages built on other stages are not replayed; extend scripts/container-smoke.sh"
        stage_dir="$TMP/stage-$stage"; mkdir -p "$stage_dir"
        stage_env=() workdir_ok=0 FINAL_USER='' FINAL_CMD_JSON='' HEALTHCHECK_JSON=''
        echo "   FROM $base AS $stage  (replayed in $stage_dir with node $(node --version), npm $(npm --version))"
        ;;
      WORKDIR)
        [ "$rest" = /app ] || fail "WORKDIR $rest: the replay maps only /app; extend scripts/container-smoke.sh"
        workdir_ok=1 ;;
      ENV)
        [[ "$rest" =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*$ ]] || fail "ENV $rest: write ENV as NAME=value, one per line, so the replay can read it"
        stage_env+=("$rest") ;;
      COPY)
        [ "$workdir_ok" = 1 ] || fail "COPY before WORKDIR /app in stage $stage"
        local -a args=()
        read -r -a args <<<"$rest"
        local from=''
        while [[ "${args[0]:-}" == --* ]]; do
          case "${args[0]}" in
            --from=*) from="${args[0]#--from=}" ;;
            --chown=* | --chmod=* | --link) ;;   # ownership is the image's business
            *) fail "COPY ${args[0]}: flag not replayed; extend scripts/container-smoke.sh" ;;
          esac
          args=("${args[@]:1}")
        done
        [[ "${args[0]:-}" == \[* ]] && fail "COPY [\"…\"]: JSON form not replayed; write COPY src dest"
        local dest="${args[-1]}"
        unset 'args[-1]'
        local root="$CONTEXT"
        if [ -n "$from" ]; then
          root="$TMP/stage-$from"
          [ -d "$root" ] || fail "COPY --from=$from: no such earlier stage"
        fi
        echo "   COPY ${from:+--from=$from }${args[*]} $dest"
        copy_into_stage "$stage_dir" "$root" "$dest" "${args[@]}"
        ;;
      RUN)
        [[ "$rest" == \[* ]] && fail "RUN [\"…\"]: JSON form not replayed; write RUN command"
        [[ "$rest" == --* ]] && fail "RUN ${rest%% *}: flag not replayed; extend scripts/container-smoke.sh"
        echo "   RUN $rest"
        local t
        t=$(date +%s%N)
        (cd "$stage_dir" && env "${stage_env[@]}" npm_config_cache="$NPM_CACHE" npm_config_update_notifier=false sh -c "$rest") \
          >"$TMP/run-$runs.log" 2>&1 || { tail -n 40 "$TMP/run-$runs.log"; fail "RUN $rest (stage $stage) failed"; }
        echo "      done in $(ms_since "$t") ms"
        runs=$((runs + 1))
        ;;
      USER) FINAL_USER="$rest" ;;
      CMD) FINAL_CMD_JSON="$rest" ;;
      HEALTHCHECK)
        [[ "$rest" =~ CMD[[:space:]]+(\[.*\])$ ]] || fail "HEALTHCHECK must use the exec form CMD [\"node\", …] so the replay can run it"
        HEALTHCHECK_JSON="${BASH_REMATCH[1]}" ;;
      EXPOSE | LABEL | STOPSIGNAL) ;;
      *) fail "Dockerfile instruction $instr is not replayed; extend scripts/container-smoke.sh" ;;
    esac
  done < <(dockerfile_instructions "$DOCKERFILE")
  FINAL_STAGE="$stage"
  FINAL_ENV=("${stage_env[@]}")
}

step "replay ./Dockerfile (its COPY, ENV and RUN lines)"
replay_dockerfile
APP_DIR="$TMP/stage-$FINAL_STAGE"
[ -n "$FINAL_CMD_JSON" ] || fail "the final stage ($FINAL_STAGE) has no CMD"
pass "every stage built; final stage: $FINAL_STAGE"

# ---- 3. what the final stage holds ------------------------------------------------------------
step "the final stage holds the compiled service and production dependencies only"
for f in dist/src/main.js dist/src/db/migrate.js prompts/system.md package.json package-lock.json; do
  [ -f "$APP_DIR/$f" ] || fail "$f is missing from the final stage"
done
ls "$APP_DIR"/dist/migrations/*.js >/dev/null 2>&1 || fail "no compiled migrations in dist/migrations/"
# The lock file marks what only development needs ("dev": true); none of it may be installed.
dev_found="$(cd "$APP_DIR" && node -e '
  const fs = require("fs");
  const packages = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
  const dev = Object.keys(packages).filter((p) => p.startsWith("node_modules/") && packages[p].dev === true);
  const found = dev.filter((p) => fs.existsSync(p));
  console.log(found.length ? found.slice(0, 5).join(", ") : `none of ${dev.length}`);
  process.exit(found.length ? 1 : 0);
')" || fail "development-only packages are in the final stage ($dev_found): install with npm ci --omit=dev"
for prod in koa knex pg ioredis openai telegraf xstate zod pino; do
  [ -d "$APP_DIR/node_modules/$prod" ] || fail "production dependency $prod is missing from the final stage"
done
for stray in src test node_modules/.cache .env; do
  [ ! -e "$APP_DIR/$stray" ] || fail "$stray should not be in the final stage"
done
pass "dist/, prompts/, package*.json, $(ls "$APP_DIR/node_modules" | wc -l) entries in node_modules, development-only packages: $dev_found ($(du -sh "$APP_DIR" | cut -f1))"

# ---- how the image's process runs -------------------------------------------------------------
# Like USER node: an unprivileged user who cannot write the app's files (they belong to root).
AS_USER=()
if [ "$(id -u)" = 0 ]; then
  command -v setpriv >/dev/null || fail "setpriv (util-linux) is needed to run the service unprivileged"
  AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  RUN_AS="uid 65534 (nobody), like the image's USER ${FINAL_USER:-root}"
else
  RUN_AS="$(id -un) (not root)"
fi
mapfile -d '' -t CMD_ARGS < <(node -e 'for (const a of JSON.parse(process.argv[1])) process.stdout.write(a + "\0")' "$FINAL_CMD_JSON") \
  || fail "CMD $FINAL_CMD_JSON is not a JSON array (exec form)"
# The image's environment: ENV lines of the final stage, then what compose/.env would add.
image_env() { env -i PATH="$PATH" HOME="$TMP" "${FINAL_ENV[@]}" "$@"; }

# ---- 4. migrations ----------------------------------------------------------------------------
step "scratch database $DB_NAME and the image's migrate command"
PGOPTIONS='-c client_min_messages=warning' psql "$ADMIN_URL" -qAt -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" \
  -c "CREATE DATABASE \"$DB_NAME\"" >/dev/null || fail "could not create database $DB_NAME at $ADMIN_URL"
DB_CREATED=1
redis-cli -u "$SMOKE_REDIS_URL" FLUSHDB >/dev/null || fail "could not flush $SMOKE_REDIS_URL"
first="$(cd "$APP_DIR" && image_env DATABASE_URL="$SMOKE_DATABASE_URL" "${AS_USER[@]}" node dist/src/db/migrate.js 2>&1)" \
  || fail "node dist/src/db/migrate.js failed: $first"
echo "   $first"
[[ "$first" == migrated* ]] || fail "the first migrate run applied nothing: $first"
second="$(cd "$APP_DIR" && image_env DATABASE_URL="$SMOKE_DATABASE_URL" "${AS_USER[@]}" node dist/src/db/migrate.js 2>&1)" \
  || fail "the second migrate run failed: $second"
[ "$second" = "database is up to date" ] || fail "the second migrate run should find nothing to do, said: $second"
pass "migrations applied from compiled JavaScript; a second run finds nothing to do"

# ---- 5. the service, as compose runs it with no .env -----------------------------------------
step "a bad configuration exits with code 2"
bad_rc=0
bad="$(cd "$APP_DIR" && image_env "${AS_USER[@]}" "${CMD_ARGS[@]}" 2>&1)" || bad_rc=$?
[ "$bad_rc" = 2 ] || fail "CMD with an empty environment exited $bad_rc, expected 2: $bad"
[[ "$bad" == *DATABASE_URL* ]] || fail "the configuration error does not name DATABASE_URL: $bad"
pass "exit 2 naming the missing variables"

# Only what docker-compose.yml sets itself (its overrides; no .env, no BOT_TOKEN, no LLM key), with
# this machine's PostgreSQL and Redis and loopback ports in place of the compose services' names:
# `app` (SERVICE_ROLE=web) hosts the sandbox, `worker` reaches it at SANDBOX_WEB_URL.
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
PORT="$(free_port)"; ADMIN="$(free_port)"; WORKER_PORT="$(free_port)"; WORKER_ADMIN="$(free_port)"
COMPOSE_ENV=(DATABASE_URL="$SMOKE_DATABASE_URL" REDIS_URL="$SMOKE_REDIS_URL" WEB_SERVER_HOST=127.0.0.1)
APP_ENV=("${COMPOSE_ENV[@]}" WEB_SERVER_PORT="$PORT" ADMIN_PORT="$ADMIN" SERVICE_ROLE=web)
WORKER_ENV=("${COMPOSE_ENV[@]}" WEB_SERVER_PORT="$WORKER_PORT" ADMIN_PORT="$WORKER_ADMIN" SERVICE_ROLE=worker SANDBOX_WEB_URL="http://127.0.0.1:$PORT")
APP_URL="http://127.0.0.1:$PORT"
APP_LOG="$TMP/app.log"
WORKER_LOG="$TMP/worker.log"

step "start the image's CMD (${CMD_ARGS[*]}) as app and worker with no .env, as $RUN_AS"
(cd "$APP_DIR" && exec setsid env -i PATH="$PATH" HOME="$TMP" "${FINAL_ENV[@]}" "${APP_ENV[@]}" "${AS_USER[@]}" "${CMD_ARGS[@]}") \
  >"$APP_LOG" 2>&1 &
APP_PID=$!
(cd "$APP_DIR" && exec setsid env -i PATH="$PATH" HOME="$TMP" "${FINAL_ENV[@]}" "${WORKER_ENV[@]}" "${AS_USER[@]}" "${CMD_ARGS[@]}") \
  >"$WORKER_LOG" 2>&1 &
WORKER_PID=$!

wait_for_200() { # <url> <seconds>
  local deadline=$(( $(date +%s) + $2 )) code
  while :; do
    code="$(curl -s --noproxy '*' -o "$TMP/last-body" -w '%{http_code}' --max-time 2 "$1" || true)"
    [ "$code" = 200 ] && return 0
    kill -0 "$APP_PID" 2>/dev/null || fail "app exited while waiting for $1"
    kill -0 "$WORKER_PID" 2>/dev/null || { APP_LOG="$WORKER_LOG"; fail "worker exited while waiting for $1"; }
    [ "$(date +%s)" -lt "$deadline" ] || fail "GET $1 did not answer 200 within $2 s (last: ${code:-no answer} $(cat "$TMP/last-body" 2>/dev/null))"
    sleep 0.2
  done
}
wait_for_200 "$APP_URL/healthz" 30
[ "$(cat "$TMP/last-body")" = '{"status":"ok"}' ] || fail "/healthz answered $(cat "$TMP/last-body"), expected {\"status\":\"ok\"}"
pass "app: GET /healthz: 200 {\"status\":\"ok\"}"
STEP_T0=$(date +%s%N)
wait_for_200 "http://127.0.0.1:$ADMIN/readyz" 20
wait_for_200 "http://127.0.0.1:$WORKER_ADMIN/readyz" 20
pass "app and worker: GET /readyz: 200 $(cat "$TMP/last-body")"

step "app says where the sandbox is"
for _ in $(seq 1 50); do grep -q 'set BOT_TOKEN in .env to go live' "$APP_LOG" && break; sleep 0.1; done
grep -q "\"msg\":\"open http://localhost:$PORT/sandbox; set BOT_TOKEN in .env to go live\"" "$APP_LOG" \
  || fail "app did not log \"open http://localhost:$PORT/sandbox; set BOT_TOKEN in .env to go live\""
if grep -q '"msg":"production: ' "$APP_LOG"; then fail "app warned about production defaults in sandbox mode"; fi
pass "\"open http://localhost:$PORT/sandbox; set BOT_TOKEN in .env to go live\""

step "the sandbox page is in the image"
for file in '' sandbox.js render.js sandbox.css; do
  code="$(curl -s --noproxy '*' -o "$TMP/page" -w '%{http_code}' --max-time 5 "$APP_URL/sandbox/$file" || true)"
  [ "$code" = 200 ] || fail "GET /sandbox/$file answered $code, expected 200 (npm run build copies src/sandbox/page into dist/)"
done
code="$(curl -s --noproxy '*' -o "$TMP/page" -w '%{http_code}' --max-time 5 "$APP_URL/sandbox" || true)"
grep -q '<title>Support bot sandbox</title>' "$TMP/page" || fail "GET /sandbox ($code) is not the sandbox page"
pass "GET /sandbox and its script and styles: 200 from dist/src/sandbox/page"

step "the Dockerfile's HEALTHCHECK command"
[ -n "$HEALTHCHECK_JSON" ] || fail "the final stage has no HEALTHCHECK"
mapfile -d '' -t HC_ARGS < <(node -e 'for (const a of JSON.parse(process.argv[1])) process.stdout.write(a + "\0")' "$HEALTHCHECK_JSON") \
  || fail "HEALTHCHECK CMD $HEALTHCHECK_JSON is not a JSON array"
(cd "$APP_DIR" && image_env "${APP_ENV[@]}" "${AS_USER[@]}" timeout 10 "${HC_ARGS[@]}") || fail "HEALTHCHECK command exited $? against a healthy service"
pass "exits 0 against the running service (port from WEB_SERVER_PORT=$PORT)"

step "a user writes to the bot on the sandbox's emulator and gets the demo answer"
code="$(curl -s --noproxy '*' -o "$TMP/forged" -w '%{http_code}' --max-time 5 -H 'content-type: application/json' -d '{"update_id":1}' "$APP_URL/telegram/webhook" || true)"
[ "$code" = 401 ] || fail "the webhook without the secret answered $code, expected 401"
echo "   ok   an update posted to the webhook without the emulator's secret is refused with 401"
code="$(curl -s --noproxy '*' -o "$TMP/user.json" -w '%{http_code}' --max-time 5 -H 'content-type: application/json' \
  -d '{"firstName":"Ivan","lang":"en"}' "$APP_URL/sandbox/api/users" || true)"
[ "$code" = 201 ] || fail "POST /sandbox/api/users answered $code $(cat "$TMP/user.json"), expected 201"
USER_ID="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id)' "$TMP/user.json")"
echo "   ok   a new English-speaking user Ivan is on the page (id $USER_ID)"
code="$(curl -s --noproxy '*' -o "$TMP/sent" -w '%{http_code}' --max-time 5 -H 'content-type: application/json' \
  -d '{"text":"How long does delivery take?"}' "$APP_URL/sandbox/api/users/$USER_ID/messages" || true)"
[ "$code" = 202 ] || fail "POST /sandbox/api/users/$USER_ID/messages answered $code $(cat "$TMP/sent"), expected 202"
echo "   ok   the user's message is queued on the emulator (202)"
answer=''
for _ in $(seq 1 200); do
  curl -s --noproxy '*' --max-time 2 "$APP_URL/sandbox/api/state" >"$TMP/state.json" || true
  answer="$(node -e '
    try {
      const user = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).users.find((u) => u.id === Number(process.argv[2]));
      const m = user.messages.find((x) => x.from === "bot" && x.html.includes("Sandbox demo answer"));
      if (m) console.log(m.html.replace(/<[^>]*>/g, "").split("\n").slice(0, 3).join(" / "));
    } catch {}' "$TMP/state.json" "$USER_ID")"
  [ -n "$answer" ] && break
  kill -0 "$WORKER_PID" 2>/dev/null || { APP_LOG="$WORKER_LOG"; fail "worker exited while the user waited"; }
  sleep 0.1
done
[ -n "$answer" ] || { echo "---- the sandbox's screen ----"; cat "$TMP/state.json"; APP_LOG="$WORKER_LOG"; fail "no demo answer in the user's chat within 20 s"; }
echo "   ok   the bot answered from the image's knowledge/: $answer"
pass "the answer reached the user through the emulator (webhook in, worker, Bot API out)"

# ---- 6. graceful stop -------------------------------------------------------------------------
step "SIGTERM: app and worker stop gracefully"
stop_process() { # <pid> <name> <log>
  kill -TERM "$1"
  local deadline=$(( $(date +%s) + 30 )) rc=0
  while kill -0 "$1" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then APP_LOG="$3"; fail "$2 was still running 30 s after SIGTERM (compose would SIGKILL it)"; fi
  wait "$1" || rc=$?
  [ "$rc" = 0 ] || { APP_LOG="$3"; fail "$2 exited $rc after SIGTERM, expected 0"; }
  grep -q '"msg":"stopped"' "$3" || { APP_LOG="$3"; fail "$2 exited 0 but did not log \"stopped\""; }
  if grep -q '"level":[56]0' "$3"; then APP_LOG="$3"; fail "$2 logged errors during the smoke test: $(grep '"level":[56]0' "$3" | head -n3)"; fi
}
# The worker first, as `docker compose down` may; then app, which hosts the emulator.
stop_process "$WORKER_PID" worker "$WORKER_LOG"
WORKER_PID=''
stop_process "$APP_PID" app "$APP_LOG"
APP_PID=''
pass "exit 0, \"stopped\" logged, no error lines in either log"
