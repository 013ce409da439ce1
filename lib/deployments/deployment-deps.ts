import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** What the deployment use-cases run on: the database and the clock (injected, so tests need no waiting). */
export type TDeploymentDeps = { prisma: PrismaClient; now?: () => Date };

export const clockOf = (deps: TDeploymentDeps): Date => (deps.now ? deps.now() : new Date());
