-- CreateTable
CREATE TABLE "SessionWork" (
    "sessionId" TEXT NOT NULL,
    "wakeCount" INTEGER NOT NULL,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "queuedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SessionWork_pkey" PRIMARY KEY ("sessionId")
);

-- CreateIndex
CREATE INDEX "SessionWork_queuedAt_idx" ON "SessionWork"("queuedAt");

-- AddForeignKey
ALTER TABLE "SessionWork" ADD CONSTRAINT "SessionWork_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
