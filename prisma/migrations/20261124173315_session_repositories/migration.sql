-- CreateTable
CREATE TABLE "SessionRepository" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "mountPath" TEXT NOT NULL,
    "checkout" JSONB,
    "tokenCiphertext" BYTEA,
    "tokenIv" BYTEA,
    "tokenTag" BYTEA,
    "keyId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionRepository_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SessionRepository_sessionId_position_key" ON "SessionRepository"("sessionId", "position");

-- AddForeignKey
ALTER TABLE "SessionRepository" ADD CONSTRAINT "SessionRepository_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
