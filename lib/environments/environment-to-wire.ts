import type { Environment } from "@/lib/generated/prisma/client";
import { metadataFromJson } from "@/lib/resource/metadata";
import { configFromJson } from "./environment-config";

/** The Environment object of the Managed Agents API (reference §2.2). `scope` only when set. */
export function environmentToWire(env: Environment) {
  return {
    id: env.id,
    type: "environment" as const,
    name: env.name,
    description: env.description,
    config: configFromJson(env.config),
    metadata: metadataFromJson(env.metadata),
    ...(env.scope === "organization" || env.scope === "account" ? { scope: env.scope } : {}),
    created_at: env.createdAt.toISOString(),
    updated_at: env.updatedAt.toISOString(),
    archived_at: env.archivedAt?.toISOString() ?? null,
  };
}

export type TWireEnvironment = ReturnType<typeof environmentToWire>;
