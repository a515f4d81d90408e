# syntax=docker/dockerfile:1
# One image per role, built from this file (docs/deployment.md):
#   docker build --target server  -t sluice-server .   API, web UI, background services
#   docker build --target worker  -t sluice-worker .   a process-pool worker that runs TypeScript flows
#   docker build --target migrate -t sluice-migrate .  `sluice db upgrade`, once, before servers start
# No setting is baked in: every SLUICE_* variable comes from the environment at run time (compose: .env).

ARG NODE_VERSION=24.11.1

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app

# Every workspace's package.json (and the CLI's bin, which npm links), so the dependency layers below
# are rebuilt only when dependencies change, not on every source edit.
FROM base AS manifests
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/client/package.json packages/client/
COPY packages/server/package.json packages/server/
COPY packages/sdk/package.json packages/sdk/
COPY packages/worker/package.json packages/worker/
COPY packages/cli/package.json packages/cli/
COPY packages/cli/bin packages/cli/bin
COPY packages/ui/package.json packages/ui/
COPY examples/build-lifecycle/package.json examples/build-lifecycle/

# Dependencies come from package-lock.json through `npm install`, as in .ci/run: `npm ci` refuses
# this lock file, which lacks other platforms' optional bindings, while `npm install` keeps every
# locked version. Install scripts stay off (--ignore-scripts): package.json's allowScripts denies the
# four dependencies that have one, and npm releases before that policy would run them. The root
# `prepare` script (the build) runs explicitly instead.
FROM manifests AS build
RUN npm install --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.base.json ./
COPY packages packages
RUN npm run build

FROM manifests AS production-dependencies
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund

# What every role runs: production dependencies and each package's compiled dist/, as the node user.
FROM base AS runtime
ENV NODE_ENV=production \
  SLUICE_HOME=/var/lib/sluice \
  PATH=/app/node_modules/.bin:$PATH
COPY --from=production-dependencies /app ./
COPY --from=build /app/packages/contracts/dist packages/contracts/dist
COPY --from=build /app/packages/client/dist packages/client/dist
COPY --from=build /app/packages/server/dist packages/server/dist
COPY --from=build /app/packages/sdk/dist packages/sdk/dist
COPY --from=build /app/packages/worker/dist packages/worker/dist
COPY --from=build /app/packages/cli/dist packages/cli/dist
RUN mkdir -p /var/lib/sluice && chown node:node /var/lib/sluice
USER node

# The one-shot migration job: applies pending migrations to SLUICE_DATABASE_URL and exits.
FROM runtime AS migrate
CMD ["sluice", "db", "upgrade"]

# The server: API and web UI on port 4200, background services (once across replicas on PostgreSQL).
FROM runtime AS server
COPY --from=build /app/packages/ui/dist packages/ui/dist
ENV SLUICE_SERVER_HOST=0.0.0.0
EXPOSE 4200
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.SLUICE_SERVER_PORT || 4200}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sluice", "server", "start"]

# A worker of the process pool `default`. Flow runs are child processes of this container, so the
# image carries what a TypeScript entrypoint needs: tsx (a dependency of the CLI, registered by
# `sluice flow-run execute`) and the flow code itself, here the example pipeline as source, with the
# script `make deploy` runs to deploy it.
FROM runtime AS worker
COPY examples/build-lifecycle examples/build-lifecycle
COPY deploy/setup-lifecycle.sh deploy/
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sluice", "worker", "start", "--pool", "default", "--type", "process", "--with-healthcheck"]
