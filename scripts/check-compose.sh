#!/usr/bin/env bash
# Checks docker-compose.yml, Dockerfile and .dockerignore as far as a machine without a Docker
# engine allows. Lists every problem found, then exits 1; exits 0 with PASS lines otherwise.
#
#   scripts/check-compose.sh          (a few seconds once docker-compose is installed)
#
# The validator, and why:
# - `docker compose` (v2) when the docker CLI has the plugin: it validates the current compose
#   spec. This machine's docker CLI has no compose plugin, and Debian 12 does not package it.
# - otherwise Debian's `docker-compose` package (installed here with apt-get when run as root).
#   In Debian 12 it is the Python v1 tool, 1.29.2. Checked by hand before relying on it: 1.29
#   validates against its bundled compose-spec JSON schema (compose/config/compose_spec.json), so
#   it accepts files without `version:` and `service_completed_successfully`, and it rejects
#   unknown keys (`stop_grace_periodx`) and unknown conditions (`healthy`) with a clear message.
#   Its schema is a 2021 snapshot: features newer than that (e.g. `include:`, `develop:`) would be
#   refused here even if Compose v2 accepts them, and v1 reads env files slightly differently
#   (it keeps quotes) — hence .env.example has no quotes and no trailing comments.
# - the structure of the deployment (which service waits for which, volumes, restart policies)
#   is asserted in Python with PyYAML over `docker-compose config`'s normalized output (anchors
#   merged, env_file read, variables interpolated). PyYAML is a dependency of Debian's
#   docker-compose package, so it is present whenever the validator is; the npm `yaml` package is
#   not in this project's node_modules and is not added for this.
# - the effective environments of app and worker in compose (a filled .env, and no .env at all)
#   are parsed with the service's own loadConfig (src/config.ts, run with tsx), so a compose
#   override that the service would refuse is caught here and not at `docker compose up`.
# - the Dockerfile is checked by construction (no engine to build it): stages, `npm ci` and the
#   build, `npm ci --omit=dev`, NODE_ENV, USER node, EXPOSE, an exec-form HEALTHCHECK through node,
#   the CMD. hadolint runs too when it is on PATH (Debian does not package it).
#   scripts/container-smoke.sh replays the Dockerfile's steps and runs the result.
#
# What this cannot prove: that the images build and start (no engine), that postgres:16-alpine
# and redis:7-alpine behave as assumed, or that the healthchecks pass in containers.
#
# Temporary copies are checked, one with a filled .env made from .env.example and one with no .env
# (a fresh clone); the real .env, if any, is never read.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
T0=$(date +%s%N)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
PROBLEMS=()
problem() { PROBLEMS+=("$*"); }
pass() { echo "PASS: $*"; }
finish() {
  if [ ${#PROBLEMS[@]} -gt 0 ]; then
    for p in "${PROBLEMS[@]}"; do echo "FAIL: $p"; done
    echo "FAIL: check-compose found ${#PROBLEMS[@]} problem(s) ($(ms_since "$T0") ms)"
    exit 1
  fi
  echo "PASS: check-compose ($(ms_since "$T0") ms)"
}
abort() { problem "$*"; finish; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/check-compose.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
trap 'echo "FAIL: scripts/check-compose.sh stopped at line $LINENO: a bug in the script, not necessarily in the files it checks"' ERR

for f in docker-compose.yml Dockerfile .dockerignore .env.example; do
  [ -f "$ROOT/$f" ] || problem "$f is missing from $ROOT"
done
[ ${#PROBLEMS[@]} -eq 0 ] || finish

# ---- the validator ----------------------------------------------------------------------------
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
else
  if ! command -v docker-compose >/dev/null; then
    [ "$(id -u)" = 0 ] || abort "docker-compose is not installed: run as root to let this script install it, or: sudo apt-get install docker-compose"
    echo "== installing Debian's docker-compose package"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq docker-compose >"$TMP/apt.log" 2>&1; then
      apt-get update -qq >>"$TMP/apt.log" 2>&1 && apt-get install -y -qq docker-compose >>"$TMP/apt.log" 2>&1 \
        || { tail -n 20 "$TMP/apt.log"; abort "apt-get install docker-compose failed (log above)"; }
    fi
  fi
  COMPOSE=(docker-compose)
  v1="$(docker-compose version --short 2>/dev/null || true)"
  case "$v1" in
    1.29.* | [2-9].*) ;;
    *) abort "docker-compose $v1 is too old: service_completed_successfully needs 1.29 or Compose v2" ;;
  esac
  python3 -c 'import yaml' 2>/dev/null || abort "python3 with PyYAML is missing (it comes with Debian's docker-compose package)"
fi
echo "== validator: $("${COMPOSE[@]}" version --short 2>/dev/null || "${COMPOSE[@]}" version | head -n1) (${COMPOSE[*]})"

# ---- compose: syntax and schema -------------------------------------------------------------
# Two projects: `filled`, with a .env made from .env.example with the values going live needs
# (production), and `fresh`, a fresh clone with no .env at all (the sandbox).
# docker-compose.yml reads .env with `env_file: [{path: .env, required: false}]` (Compose v2.24+).
# Compose v1's 2021 schema knows only the string form: for v1 the copies say `env_file: .env`
# (filled) or have no env_file (fresh, which is what required: false means for a missing file),
# and the python story below checks that the real file says `required: false`.
PROJECT="$TMP/filled"
FRESH="$TMP/fresh"
mkdir -p "$PROJECT" "$FRESH"
for dir in "$PROJECT" "$FRESH"; do cp "$ROOT/docker-compose.yml" "$ROOT/Dockerfile" "$ROOT/.dockerignore" "$dir/"; done
if [ "${COMPOSE[*]}" = docker-compose ]; then
  python3 - "$PROJECT/docker-compose.yml" "$FRESH/docker-compose.yml" <<'PY'
import re, sys
pattern = re.compile(r"^(\s*)env_file:\n\s*- path: \.env\n\s*required: false\n", re.M)
for path, replacement in ((sys.argv[1], r"\1env_file: .env\n"), (sys.argv[2], "")):
    text = open(path, encoding="utf-8").read()
    open(path, "w", encoding="utf-8").write(pattern.sub(replacement, text))
PY
fi
# Going live: the required values filled in (placeholders, no secrets).
sed -e 's/^BOT_TOKEN=$/BOT_TOKEN=123456789:check-compose-placeholder/' \
    -e 's/^OPERATOR_CHAT_ID=$/OPERATOR_CHAT_ID=-1001234567890/' \
    -e 's/^CHAT_GPT_TOKEN=$/CHAT_GPT_TOKEN=sk-check-compose-placeholder/' \
    -e 's/^OPENAI_BASE_URL=$/OPENAI_BASE_URL=https:\/\/api.openai.com\/v1/' \
    -e 's/^WEBHOOK_SECRET=replace-with-the-output-of-openssl-rand-hex-32$/WEBHOOK_SECRET=check_compose_placeholder/' \
    -e 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=checkcomposeplaceholder/' \
    "$ROOT/.env.example" >"$PROJECT/.env"
compose() { (cd "$PROJECT" && env -u POSTGRES_PASSWORD "${COMPOSE[@]}" "$@"); }
compose_fresh() { (cd "$FRESH" && env -u POSTGRES_PASSWORD "${COMPOSE[@]}" "$@"); }

if compose config >"$TMP/config.yml" 2>"$TMP/config.err"; then
  pass "docker-compose.yml is valid with a filled .env made from .env.example"
else
  abort "docker-compose.yml is invalid: $(cat "$TMP/config.err")"
fi
if grep -q 'checkcomposeplaceholder@postgres' "$TMP/config.yml"; then
  pass "a filled .env's POSTGRES_PASSWORD is the database's password"
else
  problem "POSTGRES_PASSWORD from .env does not reach the services' DATABASE_URL"
fi

# A fresh clone: no .env at all. Compose must still start everything, in sandbox mode.
if compose_fresh config >"$TMP/fresh.yml" 2>"$TMP/fresh.err"; then
  pass "docker-compose.yml is valid with no .env at all (a fresh clone)"
else
  problem "docker compose up would fail on a fresh clone (no .env): $(cat "$TMP/fresh.err")"
fi

# ---- compose: the deployment story ----------------------------------------------------------
python3 - "$ROOT/docker-compose.yml" "$TMP/config.yml" "$PROJECT" "$TMP/app-env.json" "$TMP/story.out" <<'PY' || true
import json, re, sys, yaml
raw_path, config_path, project, env_out, report = sys.argv[1:6]
raw = yaml.safe_load(open(raw_path, encoding="utf-8")) or {}
cfg = yaml.safe_load(open(config_path, encoding="utf-8")) or {}
services = cfg.get("services") or {}
ok, bad = [], []

def check(cond, good, problem):
    (ok if cond else bad).append(good if cond else problem)

def env_of(svc):
    env = (services.get(svc) or {}).get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}

def condition(svc, dep):
    deps = (services.get(svc) or {}).get("depends_on") or {}
    if isinstance(deps, list):
        return "service_started" if dep in deps else None
    return (deps.get(dep) or {}).get("condition")

def named_volume(svc, target):
    for v in (services.get(svc) or {}).get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            src, tgt = (parts[0], parts[1]) if len(parts) > 1 else (None, parts[0])
        else:
            src, tgt = (v.get("source"), v.get("target")) if v.get("type", "volume") == "volume" else (None, None)
        if tgt == target and src and not src.startswith((".", "/", "~")):
            return src
    return None

def words(value):
    return value if isinstance(value, list) else str(value or "").split()

def seconds(text):
    m = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(text or ""))
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0) if m and text else 0

def host_of(url):
    m = re.match(r"^[a-z]+://(?:[^@/]*@)?([^:/]+)", url or "")
    return m.group(1) if m else None

check("version" not in raw, "compose-spec syntax: no top-level version key",
      "remove the top-level `version:` key: compose-spec files have none")
for name in ("postgres", "redis", "migrate", "app", "worker"):
    check(name in services, f"service {name} exists", f"service {name} is missing")
if not all(n in services for n in ("postgres", "redis", "migrate", "app", "worker")):
    open(report, "w").write(json.dumps({"ok": ok, "bad": bad})); sys.exit(0)

pg, rd, mg, app, wk = (services[n] for n in ("postgres", "redis", "migrate", "app", "worker"))
top_volumes = cfg.get("volumes") or {}

check(str(pg.get("image", "")).startswith("postgres:16"), "postgres runs postgres:16", f"postgres image is {pg.get('image')}, expected postgres:16-alpine")
check("pg_isready" in " ".join(words((pg.get("healthcheck") or {}).get("test"))), "postgres has a pg_isready healthcheck", "postgres needs a healthcheck with pg_isready")
vol = named_volume("postgres", "/var/lib/postgresql/data")
check(vol in top_volumes, f"postgres keeps its data in the named volume {vol}", "postgres needs a named volume (declared under volumes:) at /var/lib/postgresql/data")

check(str(rd.get("image", "")).startswith("redis:7"), "redis runs redis:7", f"redis image is {rd.get('image')}, expected redis:7-alpine")
cmd = words(rd.get("command"))
check("--appendonly" in cmd and cmd[cmd.index("--appendonly") + 1:][:1] == ["yes"], "redis runs with --appendonly yes", "redis must run with --appendonly yes, or dialog snapshots are lost on restart")
hc = " ".join(words((rd.get("healthcheck") or {}).get("test")))
check("redis-cli" in hc and "ping" in hc, "redis has a redis-cli ping healthcheck", "redis needs a healthcheck with redis-cli ping")
vol = named_volume("redis", "/data")
check(vol in top_volumes, f"redis keeps its data in the named volume {vol}", "redis needs a named volume (declared under volumes:) at /data")

ctx = lambda s: ((s.get("build") or {}) if isinstance(s.get("build"), dict) else {"context": s.get("build")}).get("context")
check(ctx(app) is not None and str(ctx(app)).rstrip("/") in (project, "."), "app is built from this directory", f"app must be built from . (build context is {ctx(app)})")
check(ctx(mg) == ctx(app), "migrate uses the app's image", f"migrate must build the app's image (context {ctx(mg)} vs {ctx(app)})")
check(words(mg.get("command")) == ["node", "dist/src/db/migrate.js"], "migrate runs node dist/src/db/migrate.js", f"migrate's command is {mg.get('command')}, expected node dist/src/db/migrate.js")
check(condition("migrate", "postgres") == "service_healthy", "migrate waits for a healthy postgres", "migrate must depend on postgres with condition service_healthy")
check(str(mg.get("restart", "no")) in ("no", "False"), "migrate is never restarted", f"migrate's restart is {mg.get('restart')}, expected \"no\"")

app_env, wk_env, mg_env = env_of("app"), env_of("worker"), env_of("migrate")
check(ctx(wk) == ctx(app), "worker uses the app's image", f"worker must build the app's image (context {ctx(wk)} vs {ctx(app)})")
for name, svc, env in (("app", app, app_env), ("worker", wk, wk_env)):
    env_files = ((raw.get("services") or {}).get(name) or {}).get("env_file")  # PyYAML has merged the anchors
    env_files = [e if isinstance(e, str) else (e or {}).get("path") for e in (env_files if isinstance(env_files, list) else [env_files])]
    check(".env" in env_files or "./.env" in env_files, f"{name} reads .env (env_file)", f"{name} must read its settings from .env (env_file: .env)")
    raw_env_files = ((raw.get("services") or {}).get(name) or {}).get("env_file")
    optional = isinstance(raw_env_files, list) and all(isinstance(e, dict) and e.get("required") is False for e in raw_env_files)
    check(optional, f"{name}'s .env is optional (required: false): a fresh clone starts without one", f"{name} must read .env with `env_file: [{{path: .env, required: false}}]`, so `docker compose up` works with no .env")
    for dep, cond in (("postgres", "service_healthy"), ("redis", "service_healthy"), ("migrate", "service_completed_successfully")):
        check(condition(name, dep) == cond, f"{name} waits for {dep}: {cond}", f"{name} must depend on {dep} with condition {cond} (has {condition(name, dep)})")
    check(host_of(env.get("DATABASE_URL")) == "postgres", f"{name}'s DATABASE_URL points at the postgres service", f"{name}'s DATABASE_URL must be overridden to the postgres service (host is {host_of(env.get('DATABASE_URL'))})")
    check(host_of(env.get("REDIS_URL")) == "redis", f"{name}'s REDIS_URL points at the redis service", f"{name}'s REDIS_URL must be overridden to the redis service (host is {host_of(env.get('REDIS_URL'))})")
    check(svc.get("restart") == "unless-stopped", f"{name} restarts unless stopped", f"{name}'s restart is {svc.get('restart')}, expected unless-stopped")
    grace = seconds(svc.get("stop_grace_period"))
    check(grace >= 26, f"{name} has {grace} s to stop after SIGTERM (src/main.ts gives itself 25 s)", f"{name}'s stop_grace_period is {svc.get('stop_grace_period')}: give it more than the 25 s src/main.ts takes, e.g. 30s")
check(mg_env.get("DATABASE_URL") == app_env.get("DATABASE_URL") == wk_env.get("DATABASE_URL"), "migrate, app and worker use the same DATABASE_URL", "migrate, app and worker must use the same DATABASE_URL")
check(app_env.get("REDIS_URL") == wk_env.get("REDIS_URL"), "app and worker share Redis (the worker is woken over it)", "app and worker must use the same REDIS_URL: the web process wakes the workers over Redis")
check(app_env.get("SERVICE_ROLE") == "web" and wk_env.get("SERVICE_ROLE") == "worker", "app runs SERVICE_ROLE=web, worker SERVICE_ROLE=worker",
      f"app must run SERVICE_ROLE=web and worker SERVICE_ROLE=worker (have {app_env.get('SERVICE_ROLE')}, {wk_env.get('SERVICE_ROLE')})")
# `docker compose up --scale worker=3`: every replica must get a name of its own for its leases
# (src/config.ts: INSTANCE_ID, default <hostname>:<port>, and compose gives each replica its own
# hostname), and nothing may pin the replicas to one container or one host port.
for name, svc, env in (("app", app, app_env), ("worker", wk, wk_env)):
    check(not env.get("INSTANCE_ID"), f"{name} names its leases after its container's hostname (no fixed INSTANCE_ID)",
          f"{name} fixes INSTANCE_ID={env.get('INSTANCE_ID')}: replicas of --scale would share one lease name; leave it unset (the hostname is unique per replica)")
    check(not svc.get("hostname"), f"{name} sets no hostname (each replica keeps its own)", f"{name} sets hostname: {svc.get('hostname')}: every replica would have it, and the same INSTANCE_ID")
check(not wk.get("container_name"), "worker has no container_name (compose can run several)", "worker sets container_name: `--scale worker=3` refuses to start a second one")
admin_port = wk_env.get("ADMIN_PORT") or ""
check(admin_port and admin_port == app_env.get("ADMIN_PORT") and admin_port != (app_env.get("WEB_SERVER_PORT") or "8080"),
      f"app and worker serve the admin API and /metrics on ADMIN_PORT {admin_port}, apart from the webhook's port",
      f"set ADMIN_PORT (e.g. 8081, not WEB_SERVER_PORT) for app and worker, so the public port serves only the webhook and /healthz (have {app_env.get('ADMIN_PORT')}, {admin_port})")
check(int(wk.get("cpu_shares") or 1024) < int(app.get("cpu_shares") or 1024), "worker has less CPU weight than app (acknowledging Telegram comes first)",
      "worker's cpu_shares should be below app's, so a busy worker does not slow the webhook's answers")
targets = [str(p.get("target")) if isinstance(p, dict) else str(p).split(":")[-1].split("/")[0] for p in app.get("ports") or []]
port = app_env.get("WEB_SERVER_PORT") or "8080"
check(port in targets, f"app publishes its port {port} (WEB_SERVER_PORT, asked by the image's HEALTHCHECK)", f"app must publish the port it listens on ({port}); publishes {targets}")
check(not wk.get("ports"), "worker publishes no port (it takes no webhooks; replicas would collide on a host port)", "worker should publish no port: it answers only health and metrics, and --scale would collide on it")
published = [str(p.get("published")) if isinstance(p, dict) else str(p).split(":")[-2] if str(p).count(":") else "" for p in app.get("ports") or []]
admin_target = app_env.get("ADMIN_PORT") or ""
check(admin_target not in targets, f"app does not publish ADMIN_PORT {admin_target} (admin API and /metrics stay inside)",
      f"app publishes ADMIN_PORT {admin_target}: the admin API and /metrics are for your own network, do not publish them (published: {published})")

json.dump(wk_env, open(env_out.replace("app-env", "worker-env"), "w"))
json.dump(app_env, open(env_out, "w"))
open(report, "w").write(json.dumps({"ok": ok, "bad": bad}))
PY
if [ -s "$TMP/story.out" ]; then
  while IFS= read -r line; do pass "$line"; done < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["ok"]))' "$TMP/story.out")
  while IFS= read -r line; do [ -n "$line" ] && problem "$line"; done < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["bad"]))' "$TMP/story.out")
else
  problem "the deployment story could not be checked (python3 failed on the compose config)"
fi

# ---- compose: app's and worker's effective environments pass the service's own config check ----
# Filled .env: production (webhook mode, the real Bot API). No .env: the sandbox, the worker
# reaching the emulator and the demo LLM in `app`.
python3 - "$TMP/fresh.yml" "$TMP" <<'PY' || true
import json, sys, yaml
cfg = yaml.safe_load(open(sys.argv[1], encoding="utf-8")) or {}
for name in ("app", "worker"):
    env = ((cfg.get("services") or {}).get(name) or {}).get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    json.dump({k: "" if v is None else str(v) for k, v in env.items()}, open(f"{sys.argv[2]}/fresh-{name}-env.json", "w"))
PY
TSX="$ROOT/node_modules/.bin/tsx"
if [ ! -x "$TSX" ]; then
  problem "node_modules/.bin/tsx is missing: run npm ci, then this script again"
else
  for case in app:production worker:production fresh-app:sandbox fresh-worker:sandbox; do
    file="${case%%:*}"; want="${case##*:}"
    [ -s "$TMP/$file-env.json" ] || { problem "the environment $file in compose could not be read"; continue; }
    if out="$(cd "$ROOT" && "$TSX" -e '
      const { loadConfig } = require(process.cwd() + "/src/config");
      const env = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const want = process.argv[2];
      try {
        const c = loadConfig(env);
        const mode = c.sandbox ? "sandbox" : c.telegram.mode;
        console.log(`role ${c.role}, mode ${mode}, Bot API ${c.telegram.apiRoot}, LLM ${c.sandbox && c.sandbox.demoLlm ? "demo at " + c.llm.baseURL : "configured"}, listens on ${c.http.host}:${c.http.port}`);
        if ((want === "sandbox") !== (mode === "sandbox")) process.exit(3);
        if (mode === "sandbox" && c.role === "worker" && !c.telegram.apiRoot.startsWith("http://app:8080/")) process.exit(4);
      } catch (error) {
        console.log(error instanceof Error ? error.message : String(error));
        process.exit(1);
      }' "$TMP/$file-env.json" "$want" 2>&1)"; then
      pass "the $file environment in compose passes loadConfig ($want): $out"
    else
      problem "the $file environment in compose is not the expected $want setup (or would not start): $out"
    fi
  done
fi

# ---- Dockerfile -------------------------------------------------------------------------------
# One instruction per line (continuations joined, comments dropped), prefixed with its stage.
awk '
  /^[[:space:]]*#/ { next }
  {
    line = $0
    if (line ~ /\\[[:space:]]*$/) { sub(/\\[[:space:]]*$/, "", line); buf = buf line " "; next }
    line = buf line; buf = ""
    sub(/^[[:space:]]+/, "", line)
    if (line == "") next
    if (toupper(line) ~ /^FROM /) { n++; stage = "stage" n; if (match(line, /[[:space:]][Aa][Ss][[:space:]]+[A-Za-z0-9_.-]+$/)) { stage = substr(line, RSTART); sub(/^[[:space:]]+[Aa][Ss][[:space:]]+/, "", stage) } }
    print stage "\t" line
  }' "$ROOT/Dockerfile" >"$TMP/dockerfile.lines"
FINAL="$(awk -F'\t' '{ s = $1 } END { print s }' "$TMP/dockerfile.lines")"
in_stage() { awk -F'\t' -v s="$1" '$1 == s { print $2 }' "$TMP/dockerfile.lines"; }
in_stage "$FINAL" >"$TMP/final.lines"
in_stage build >"$TMP/build.lines"
dockerfile_has() { # <file> <ERE> <what it proves> <problem>
  if grep -Eq -- "$2" "$1"; then pass "Dockerfile: $3"; else problem "Dockerfile: $4"; fi
}

stages="$(grep -c $'\tFROM ' "$TMP/dockerfile.lines" || true)"
if [ "$stages" -ge 2 ]; then
  pass "Dockerfile: $stages stages (build, $FINAL)"
else
  problem "Dockerfile: needs a build stage and a production stage (has $stages FROM lines)"
fi
bases="$(awk -F'\t' '$2 ~ /^FROM / { print $2 }' "$TMP/dockerfile.lines")"
node_image="$(grep -Eo '^ARG NODE_IMAGE=[^ ]+' "$ROOT/Dockerfile" | cut -d= -f2 || true)"
if echo "$bases" | grep -Eqv '^FROM (node:22-[a-z]*-?slim|\$\{?NODE_IMAGE\}?)( |$)'; then
  problem "Dockerfile: every stage must start FROM node:22-<debian>-slim (or \${NODE_IMAGE}): $(echo "$bases" | tr '\n' ';')"
elif echo "$bases" | grep -q 'NODE_IMAGE' && ! [[ "$node_image" =~ ^node:22-[a-z]+-slim$ ]]; then
  problem "Dockerfile: ARG NODE_IMAGE=$node_image: pin the Node 22 slim image by major only, e.g. node:22-bookworm-slim"
else
  pass "Dockerfile: based on ${node_image:-node:22 slim} (Node 22 LTS, major pinned)"
fi
[ "$FINAL" != build ] || problem "Dockerfile: the last stage must be the production stage, not build"
dockerfile_has "$TMP/build.lines" '^RUN npm ci( |$)' "the build stage installs from the lock file (npm ci)" "the stage named build must RUN npm ci"
dockerfile_has "$TMP/build.lines" '^RUN npm run build( |$)' "the build stage compiles (npm run build)" "the stage named build must RUN npm run build"
dockerfile_has "$TMP/final.lines" '^RUN npm ci .*--omit=dev' "the final stage installs production dependencies only (npm ci --omit=dev)" "the final stage must RUN npm ci --omit=dev"
if grep -Eq '^RUN npm ci' "$TMP/final.lines" && grep -E '^RUN npm ci' "$TMP/final.lines" | grep -vq -- '--omit=dev'; then
  problem "Dockerfile: every npm ci in the final stage needs --omit=dev"
fi
dockerfile_has "$TMP/final.lines" '^COPY (--[a-z]+=[^ ]+ )*--from=build (--[a-z]+=[^ ]+ )*/app/dist \.?/?(app/)?dist/?$' "the final stage takes dist/ from the build stage" "the final stage must COPY --from=build /app/dist ./dist"
dockerfile_has "$TMP/final.lines" '^COPY (--[a-z]+=[^ ]+ )*prompts \.?/?(app/)?prompts/?$' "the final stage has prompts/" "the final stage must COPY prompts ./prompts (the service reads prompts/system.md)"
dockerfile_has "$TMP/final.lines" '^COPY (--[a-z]+=[^ ]+ )*knowledge \.?/?(app/)?knowledge/?$' "the final stage has knowledge/" "the final stage must COPY knowledge ./knowledge (the example knowledge base, KNOWLEDGE_DIR)"
dockerfile_has "$TMP/final.lines" '^COPY .*package\.json' "the final stage has package.json" "the final stage must COPY package.json package-lock.json"
dockerfile_has "$TMP/final.lines" '^COPY .*(package-lock\.json|package\*\.json)' "the final stage has package-lock.json" "the final stage must COPY package-lock.json (npm ci needs it)"
dockerfile_has "$TMP/final.lines" '^ENV NODE_ENV=production$' "NODE_ENV=production" "the final stage must set ENV NODE_ENV=production"
last_user="$(grep -E '^USER ' "$TMP/final.lines" | tail -n1 | awk '{ print $2 }' || true)"
case "$last_user" in
  '' | root | 0 | 0:*) problem "Dockerfile: the final stage must run as a non-root user: add USER node after the COPY/RUN lines" ;;
  *) pass "Dockerfile: runs as $last_user, not root" ;;
esac
dockerfile_has "$TMP/final.lines" '^EXPOSE 8080$' "EXPOSE 8080" "the final stage must EXPOSE 8080"
hc="$(grep -E '^HEALTHCHECK ' "$TMP/final.lines" | tail -n1 || true)"
hc_json="$(echo "$hc" | grep -Eo 'CMD \[.*\]$' | cut -c5- || true)"
if [ -z "$hc" ]; then
  problem "Dockerfile: the final stage needs a HEALTHCHECK"
elif ! python3 -c 'import json,sys; a = json.loads(sys.argv[1]); assert a[0] == "node" and "/healthz" in " ".join(a) and "WEB_SERVER_PORT" in " ".join(a)' "$hc_json" 2>/dev/null; then
  problem "Dockerfile: HEALTHCHECK must be CMD [\"node\", ...] in JSON form, asking /healthz on WEB_SERVER_PORT (no curl in slim images): $hc"
else
  pass "Dockerfile: HEALTHCHECK asks /healthz on WEB_SERVER_PORT with node (exec form)"
fi
cmd="$(grep -E '^CMD ' "$TMP/final.lines" | tail -n1 | cut -c5- || true)"
if python3 -c 'import json,sys; assert json.loads(sys.argv[1]) == ["node", "dist/src/main.js"]' "$cmd" 2>/dev/null; then
  pass "Dockerfile: CMD [\"node\", \"dist/src/main.js\"] (exec form: node gets SIGTERM)"
else
  problem "Dockerfile: the final stage must end with CMD [\"node\", \"dist/src/main.js\"] (exec form), has: ${cmd:-none}"
fi
if command -v hadolint >/dev/null; then
  if hadolint "$ROOT/Dockerfile"; then pass "hadolint"; else problem "hadolint found problems (above)"; fi
fi

# ---- .dockerignore ------------------------------------------------------------------------------
missing=()
for pattern in node_modules dist .env .git coverage 'bench/*results*.json'; do
  grep -Fxq -- "$pattern" "$ROOT/.dockerignore" || missing+=("$pattern")
done
if [ ${#missing[@]} -eq 0 ]; then
  pass ".dockerignore keeps node_modules, dist, .env, .git, coverage and bench results out of the build context"
else
  problem ".dockerignore must list (one per line): ${missing[*]}"
fi

finish
