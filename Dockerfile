# syntax=docker/dockerfile:1
# Sessionkeep in one image: the API on port 3000, serving the built web app on the same origin.
#
#   docker build -t sessionkeep .
#   docker compose --profile app up        # with PostgreSQL and a TLS proxy, see docker-compose.yml
#
# It needs DATABASE_URL, SESSION_SECRET, MFA_ENCRYPTION_KEY and TRUST_PROXY (see .env.example), and a TLS-terminating
# proxy in front: the cookies are Secure in every mode [C-FLAGS], so over plain HTTP nobody signs in.

ARG NODE_IMAGE=node:24-bookworm-slim

# argon2's install script builds from source when its prebuilt binary does not load on the machine.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ make python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

# The same install and build as `npm start`: npm ci's postinstall generates the Prisma client
# (prisma:generate points PRISMA_SCHEMA_ENGINE_BINARY at /bin/false, as generate needs no engine),
# and the build compiles it into apps/api/dist with the rest of the API.
FROM toolchain AS build
COPY . .
RUN npm ci --no-audit --no-fund
RUN npx nx run-many -t build --output-style=static

# The API's production dependencies alone. The root postinstall goes: the prisma CLI it runs is a
# devDependency, and the client it generates is already compiled into apps/api/dist. Optional ones
# go too: embedded-postgres' platform binaries are loaded only when DATABASE_URL is unset.
FROM toolchain AS dependencies
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/apps/api/package.json apps/api/
RUN npm pkg delete scripts.postinstall \
 && npm ci --omit=dev --omit=optional --workspace apps/api --no-audit --no-fund \
 && mkdir -p apps/api/node_modules

FROM ${NODE_IMAGE}
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=dependencies /app/package.json ./
COPY --from=dependencies /app/node_modules node_modules
COPY --from=dependencies /app/apps/api/package.json apps/api/
COPY --from=dependencies /app/apps/api/node_modules apps/api/node_modules
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/web/dist apps/web/dist
COPY --from=build /app/prisma/migrations prisma/migrations
# Files stay owned by root: the app cannot rewrite its own code. It writes nothing to disk.
USER node
EXPOSE 3000
# Slim images have no curl; Node's fetch asks the API itself, which answers 503 while PostgreSQL is down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "apps/api/dist/main.js"]
