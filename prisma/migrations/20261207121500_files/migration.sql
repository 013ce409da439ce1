-- CreateTable
CREATE TABLE "File" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "downloadable" BOOLEAN NOT NULL DEFAULT true,
    "scopeType" TEXT,
    "scopeId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "File_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "File_teamId_id_idx" ON "File"("teamId", "id");

-- CreateIndex
CREATE INDEX "File_teamId_scopeId_id_idx" ON "File"("teamId", "scopeId", "id");

-- AddForeignKey
ALTER TABLE "File" ADD CONSTRAINT "File_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
