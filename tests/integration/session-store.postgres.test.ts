import { describe } from "vitest";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { describePrismaSessionStore, describeRestartAfterKill } from "./session-store.prisma-suite";

const available = await requirePostgres("the PostgreSQL session store suite");

describe.runIf(available)("on PostgreSQL", () => {
  describePrismaSessionStore("postgres", "driver");
  describePrismaSessionStore("postgres", "prisma");
  describeRestartAfterKill("postgres");
});
