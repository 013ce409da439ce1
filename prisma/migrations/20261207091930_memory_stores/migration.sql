-- CreateTable
CREATE TABLE "MemoryStore" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "metadata" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "archivedAt" TIMESTAMP(3),

    CONSTRAINT "MemoryStore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Memory" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "path" TEXT COLLATE "C" NOT NULL,
    "currentVersionId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Memory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemoryVersion" (
    "id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "storeId" TEXT NOT NULL,
    "memoryId" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "path" TEXT,
    "content" TEXT,
    "contentSha256" TEXT,
    "contentSizeBytes" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdByType" TEXT,
    "createdById" TEXT,
    "redactedAt" TIMESTAMP(3),
    "redactedByType" TEXT,
    "redactedById" TEXT,

    CONSTRAINT "MemoryVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MemoryStore_teamId_id_idx" ON "MemoryStore"("teamId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Memory_currentVersionId_key" ON "Memory"("currentVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "Memory_storeId_path_key" ON "Memory"("storeId", "path");

-- CreateIndex
CREATE INDEX "MemoryVersion_storeId_seq_idx" ON "MemoryVersion"("storeId", "seq");

-- CreateIndex
CREATE INDEX "MemoryVersion_storeId_memoryId_seq_idx" ON "MemoryVersion"("storeId", "memoryId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "MemoryVersion_seq_key" ON "MemoryVersion"("seq");

-- AddForeignKey
ALTER TABLE "MemoryStore" ADD CONSTRAINT "MemoryStore_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Memory" ADD CONSTRAINT "Memory_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "MemoryStore"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Memory" ADD CONSTRAINT "Memory_currentVersionId_fkey" FOREIGN KEY ("currentVersionId") REFERENCES "MemoryVersion"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemoryVersion" ADD CONSTRAINT "MemoryVersion_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "MemoryStore"("id") ON DELETE CASCADE ON UPDATE CASCADE;
