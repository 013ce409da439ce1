-- CreateTable
CREATE TABLE "EnvironmentWork" (
    "id" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,
    "workerId" TEXT,
    "polledAt" TIMESTAMP(3),
    "tokenHash" TEXT,
    "ttlSeconds" INTEGER NOT NULL,
    "leaseExpiresAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "latestHeartbeatAt" TIMESTAMP(3),
    "stopRequestedAt" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EnvironmentWork_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnvironmentWorker" (
    "environmentId" TEXT NOT NULL,
    "workerId" TEXT NOT NULL,
    "lastPolledAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EnvironmentWorker_pkey" PRIMARY KEY ("environmentId","workerId")
);

-- CreateIndex
CREATE UNIQUE INDEX "EnvironmentWork_tokenHash_key" ON "EnvironmentWork"("tokenHash");

-- CreateIndex
CREATE INDEX "EnvironmentWork_environmentId_state_createdAt_idx" ON "EnvironmentWork"("environmentId", "state", "createdAt");

-- CreateIndex
CREATE INDEX "EnvironmentWork_sessionId_state_idx" ON "EnvironmentWork"("sessionId", "state");

-- CreateIndex
CREATE INDEX "EnvironmentWorker_environmentId_lastPolledAt_idx" ON "EnvironmentWorker"("environmentId", "lastPolledAt");

-- AddForeignKey
ALTER TABLE "EnvironmentWork" ADD CONSTRAINT "EnvironmentWork_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentWork" ADD CONSTRAINT "EnvironmentWork_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentWorker" ADD CONSTRAINT "EnvironmentWorker_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
