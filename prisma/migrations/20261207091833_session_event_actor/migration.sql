-- AlterTable
ALTER TABLE "SessionEvent" ADD COLUMN     "actor" JSONB;
