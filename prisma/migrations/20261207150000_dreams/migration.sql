-- CreateTable
CREATE TABLE "Dream" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "memoryStoreId" TEXT NOT NULL,
    "sessionIds" TEXT[],
    "outputBehavior" TEXT NOT NULL,
    "outputStoreId" TEXT,
    "instructions" TEXT,
    "model" JSONB NOT NULL,
    "sessionId" TEXT,
    "claimedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "error" JSONB,
    "failedAt" TIMESTAMP(3),
    "canceledAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dream_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Dream_teamId_id_idx" ON "Dream"("teamId", "id");

-- CreateIndex
CREATE INDEX "Dream_memoryStoreId_idx" ON "Dream"("memoryStoreId");

-- CreateIndex
CREATE INDEX "Dream_sessionId_idx" ON "Dream"("sessionId");
