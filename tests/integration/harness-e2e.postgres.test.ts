import { describe } from "vitest";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { describeHarnessEndToEnd } from "./harness-e2e.suite";

const available = await requirePostgres("the harness end-to-end suite");

describe.runIf(available)("on PostgreSQL", () => describeHarnessEndToEnd("postgres"));
