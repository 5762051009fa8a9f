# ejsync image: one image for the worker (`ejsync worker`) and the dashboard (`ejsync serve`).
# Build: docker build -t ejsync .   Run: see deploy/compose.yaml and docs/operations.md "Deployment".
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY bin ./bin
# npm ci runs `prepare` (tsc) → dist/
RUN npm ci --no-audit --no-fund && npm run build

FROM node:20-bookworm-slim
# openssl + the GOST engine: ЕСИА signatures (`openssl dgst -engine gost`, src/connectors/esia/signer).
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl libengine-gost-openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production EJSYNC_HOME=/var/lib/ejsync
COPY package.json package-lock.json ./
# Runtime dependencies only; `prepare` (tsc, a dev dependency) is not run here — dist/ comes from the build stage.
RUN npm pkg delete scripts.prepare && npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY config ./config
RUN mkdir -p /var/lib/ejsync && chown node:node /var/lib/ejsync
USER node
VOLUME ["/var/lib/ejsync"]
ENTRYPOINT ["node", "/app/bin/ejsync.js"]
CMD ["--help"]
