# Dash Messenger: the compiled API and the built web client in one image.
# The final stage holds what runs and nothing else: no compiler, no sources, no dev tools.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json prisma.config.ts ./
COPY api/package.json api/
COPY web/package.json web/
COPY e2e/package.json e2e/
COPY scripts scripts
COPY prisma prisma
# allowScripts denies every dependency's install script, but this npm (10) does not read it:
# so no script runs, as on our machines, and ours (prisma generate) is run by name.
RUN npm ci --ignore-scripts --no-audit --no-fund && node scripts/prisma-generate.mjs
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY scripts/install-production.sh scripts/
RUN sh scripts/install-production.sh

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# package.json marks the project folder (and api/'s makes the compiled files ES modules).
COPY package.json ./
COPY api/package.json api/
COPY --from=production-dependencies /app/node_modules node_modules
COPY prisma/migrations prisma/migrations
# The built-in sticker pack's drawings (rendered at start) and the demo data's.
COPY assets assets
COPY --from=build /app/web/dist web/dist
COPY --from=build /app/api/dist api/dist
# DATA_DIR (compose mounts the api-data volume here): the embedded database when there is
# no DATABASE_URL, and media uploads later (DATA_DIR/media). A new volume copies this
# folder's owner, so `node` can write to it.
RUN mkdir /data && chown node:node /data
ENV DATA_DIR=/data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:4000/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "api/dist/api/src/main.js"]
