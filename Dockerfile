# The credit bank as a container: build with the dev dependencies, run with the production ones only.
#   docker build -t creditbank .        then see compose.yaml (PostgreSQL 17) and README "Run it in production"
# Debian trixie: its postgresql-client is 17, the version of compose.yaml's server (creditbank backup runs pg_dump).
ARG NODE_IMAGE=node:24-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/var/lib/creditbank
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
RUN ln -s /app/bin/creditbank.js /usr/local/bin/creditbank \
 && mkdir -p /var/lib/creditbank && chown node:node /var/lib/creditbank
USER node
VOLUME ["/var/lib/creditbank"]
EXPOSE 8080
# ready = the database answers and every migration is applied
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: stop accepting, finish running requests (SHUTDOWN_TIMEOUT_SECONDS, 25), close the database
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
