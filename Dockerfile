# syntax=docker/dockerfile:1
# Farol in one image: `farol start` (ingest, pipeline, API) with its DuckDB warehouse on a volume.
# Install scripts are skipped in both stages: none of Farol's dependencies needs one to run, and
# @cubejs-backend/native's would try to download a binary Farol does not use (see ARCHITECTURE.md).

ARG NODE_VERSION=20.20.2

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The operator's page is built here with Vite into dist/web; the runtime serves it, no CDN.
COPY web ./web
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The Cube model is read at start-up (dist/../cube/model); dist/web is the page the service serves.
COPY cube ./cube
# The warehouse, bronze segments, hook inbox and the generated local admin key live under /data.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
ENV FAROL_HOST=0.0.0.0 \
    FAROL_PORT=4000 \
    FAROL_WAREHOUSE=duckdb:/data/farol.duckdb
EXPOSE 4000 15432
USER node
# /healthz says the process answers; /readyz (warehouse, sources) is for a load balancer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.FAROL_PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli.js", "start"]
