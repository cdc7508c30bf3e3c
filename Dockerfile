# syntax=docker/dockerfile:1
# The gateway as an image: compiled in one stage, run from another that holds
# only dist/ and the production dependencies, as the unprivileged `node` user.
#   docker build -t data-api-gateway .
#   docker run -p 4000:4000 -e DATA_API_URL=https://dataapi.uiscom.ru/v2.0 \
#     -e DATA_API_TOKEN=... data-api-gateway
# With no DATA_API_URL it serves the embedded emulator, as `npm start` does.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# GraphiQL's assets minified and compressed at brotli 11 into dist/ too (build:graphiql).
COPY scripts/buildGraphiQL.ts ./scripts/
RUN npm run build && npm run build:graphiql

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
# Owned by root and read-only to the process: it needs no write access.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 4000
# Yoga's liveness endpoint; node rather than curl, which the slim image lacks.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1 (not npm), so SIGTERM reaches the gateway's graceful shutdown;
# the same command as `npm start`: a larger young generation (see README,
# Performance) and the old generation capped at half of the documented 512 MiB
# container limit (docs/deployment.md, "Memory"). Another limit: another command.
CMD ["node", "--max-semi-space-size=32", "--max-old-space-size=256", "dist/index.js"]
