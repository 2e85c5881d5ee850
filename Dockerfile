# The team server (docs/team-server.md) as an image: the bridge package built in one stage, run in a
# slim Node 24 stage as a non-root user. Nothing in the image is written at run time, so it runs with
# a read-only root filesystem (docker run --read-only; readOnlyRootFilesystem in deploy/kubernetes):
# /tmp and, for the SQLite vault, /data are the only writable places, mounted by the operator.
#   docker build -t atlassian-mcp-bridge .
#   docker run --read-only --tmpfs /tmp -v amb-data:/data -p 8000:8000 --env-file team.env atlassian-mcp-bridge

FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: esbuild's binary comes as a plain package; the native SQLite driver is for Node 20 only.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node scripts/bridge-package.js --out /out

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    TEAM_SQLITE_FILE=/data/team-vault.db
WORKDIR /app
COPY --from=build /out/ /app/
RUN mkdir -p /data && chown 10001:10001 /data
# A numeric user, so Kubernetes can check runAsNonRoot without a passwd lookup.
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:8000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/bridge.js"]
CMD ["--transport", "streamable-http", "--auth", "oauth", "--host", "0.0.0.0", "--port", "8000"]
