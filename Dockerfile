# The image compose.yaml runs as web processes, harness workers and self-hosted hands:
# the app built for production, with the system packages its tools need (bubblewrap and the rest,
# scripts/install-system-deps.sh --runtime). What each container is comes from its command.
FROM node:20-bookworm-slim

WORKDIR /app
COPY scripts/install-system-deps.sh scripts/install-system-deps.sh
RUN bash scripts/install-system-deps.sh --runtime && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json prisma.config.ts ./
COPY prisma prisma
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build

ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["npm", "start"]
