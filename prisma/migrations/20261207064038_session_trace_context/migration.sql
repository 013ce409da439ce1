-- CreateTable
CREATE TABLE "SessionTraceContext" (
    "sessionId" TEXT NOT NULL,
    "traceparent" TEXT NOT NULL,
    "tracestate" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionTraceContext_pkey" PRIMARY KEY ("sessionId")
);

-- AddForeignKey
ALTER TABLE "SessionTraceContext" ADD CONSTRAINT "SessionTraceContext_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
