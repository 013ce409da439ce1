-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "agent" JSONB NOT NULL,
    "environmentId" TEXT NOT NULL,
    "initialEvents" JSONB NOT NULL,
    "metadata" JSONB NOT NULL,
    "resources" JSONB NOT NULL,
    "vaultIds" TEXT[],
    "budget" JSONB,
    "scheduleExpression" TEXT,
    "scheduleTimezone" TEXT,
    "scheduleNextAt" TIMESTAMP(3),
    "lastScheduledRunAt" TIMESTAMP(3),
    "pausedReason" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "archivedAt" TIMESTAMP(3),

    CONSTRAINT "Deployment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeploymentRun" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "agent" JSONB NOT NULL,
    "sessionId" TEXT,
    "error" JSONB,
    "triggerType" TEXT NOT NULL,
    "scheduledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeploymentRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Deployment_teamId_id_idx" ON "Deployment"("teamId", "id");

-- CreateIndex
CREATE INDEX "Deployment_scheduleNextAt_idx" ON "Deployment"("scheduleNextAt");

-- CreateIndex
CREATE UNIQUE INDEX "DeploymentRun_deploymentId_scheduledAt_key" ON "DeploymentRun"("deploymentId", "scheduledAt");

-- CreateIndex
CREATE INDEX "DeploymentRun_teamId_id_idx" ON "DeploymentRun"("teamId", "id");

-- CreateIndex
CREATE INDEX "DeploymentRun_sessionId_createdAt_idx" ON "DeploymentRun"("sessionId", "createdAt");

-- AddForeignKey
ALTER TABLE "Deployment" ADD CONSTRAINT "Deployment_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeploymentRun" ADD CONSTRAINT "DeploymentRun_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
