-- AlterTable
ALTER TABLE "EnvironmentWork" ADD COLUMN     "previousHeartbeatAt" TIMESTAMP(3);
