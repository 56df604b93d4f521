# The support bot's image: `docker compose up` (see docker-compose.yml) builds and runs it.
#
# Two stages:
#   build       full install (`npm ci`) and `npm run build` -> dist/src (the service),
#               dist/migrations (compiled migrations, run by dist/src/db/migrate.js)
#   production  only production dependencies (`npm ci --omit=dev`), dist/, prompts/, package*.json;
#               runs as the image's unprivileged `node` user
#
# The files under /app belong to root and are read-only for `node`: the service writes nothing to
# disk (logs go to stdout), so a compromised process cannot rewrite its own code.
#
# Migrations, from the same image:  docker compose run --rm migrate
#                               or  docker run --rm --env-file .env <image> node dist/src/db/migrate.js
#
# scripts/container-smoke.sh repeats these steps on a machine without Docker (it reads the COPY
# lists of both stages from this file), and scripts/check-compose.sh checks its shape.

# Pin the major only: patch releases of Node 22 LTS and Debian security fixes arrive with a rebuild.
ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Dependencies first, so that editing the sources does not invalidate the npm ci layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json knexfile.ts ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS production
ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY prompts ./prompts
COPY knowledge ./knowledge
COPY replies ./replies
COPY --from=build /app/dist ./dist

USER node
EXPOSE 8080

# No curl in the slim image: ask node itself. The service listens on WEB_SERVER_PORT (default
# 8080) on all interfaces (WEB_SERVER_HOST 0.0.0.0); if you bind it to another address, adjust this.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WEB_SERVER_PORT || 8080) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]

# Exec form: node is PID 1 and receives SIGTERM itself; src/main.ts stops gracefully (< 25 s,
# inside compose's stop_grace_period of 30 s).
CMD ["node", "dist/src/main.js"]
