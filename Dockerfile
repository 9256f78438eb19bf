# botflow for `docker compose up` (compose.yaml) or any container platform. Node 24 LTS.
FROM node:24-slim AS build
WORKDIR /app
COPY . .
# `npm ci` runs `prepare`, which builds dist/; then the dev dependencies go.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# SQLite (the default database), its key file, and uploaded files without S3; a named volume mounted
# on data/uploads takes this ownership.
RUN mkdir -p /app/data/uploads && chown -R node:node /app/data
USER node
EXPOSE 3000
# The node flags of `npm start` (package.json): a young generation capped at Node 20's size keeps
# RSS flat under load (README, Memory).
CMD ["node", "--max-semi-space-size=16", "dist/cli/main.js", "serve"]
