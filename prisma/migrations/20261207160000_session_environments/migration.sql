-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "additionalEnvironments" JSONB NOT NULL DEFAULT '[]';
