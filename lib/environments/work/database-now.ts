import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The database's clock, to the millisecond (the columns are `timestamp(3)`): what every lease of the
 * work queue is set and compared by — an ack's and a heartbeat's expiry, a poll's "lease ran out"
 * and "polled too long ago", an item token's validity — so processes whose own clocks disagree (web
 * processes on several machines) agree on when a lease ends, as the harness's leases do
 * (lib/harness/prisma-work-queue.ts). `clock_timestamp()`, not `now()`: the time of the call, not of
 * the start of a transaction around it.
 */
export async function databaseNow(prisma: Pick<PrismaClient, "$queryRaw">): Promise<Date> {
  const rows = await prisma.$queryRaw<{ ms: number | string }[]>`SELECT (extract(epoch from clock_timestamp()) * 1000)::float8 AS ms`;
  return new Date(Math.floor(Number(rows[0]!.ms)));
}
