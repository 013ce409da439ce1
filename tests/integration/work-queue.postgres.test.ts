import { describe } from "vitest";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { describePrismaWorkQueue } from "./work-queue.prisma-suite";

const available = await requirePostgres("the PostgreSQL work queue suite");

describe.runIf(available)("on PostgreSQL", () => {
  describePrismaWorkQueue("postgres");
});
