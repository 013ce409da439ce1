import "server-only";
import type { Credential } from "@/lib/generated/prisma/client";
import { metadataFromJson } from "@/lib/resource/metadata";
import { ZPublicAuthSchema, type TPublicAuth } from "./credential-auth";

/**
 * The Credential object of the Managed Agents API (reference §2.8). `auth` is the stored public
 * part, passed through the public schema (which drops any field it does not name): secrets are
 * write-only and never leave the server.
 */
export function credentialToWire(credential: Credential) {
  return {
    id: credential.id,
    type: "vault_credential" as const,
    vault_id: credential.vaultId,
    display_name: credential.displayName,
    auth: publicAuthOf(credential),
    metadata: metadataFromJson(credential.metadata),
    created_at: credential.createdAt.toISOString(),
    updated_at: credential.updatedAt.toISOString(),
    archived_at: credential.archivedAt?.toISOString() ?? null,
  };
}

export function publicAuthOf(credential: Pick<Credential, "id" | "auth">): TPublicAuth {
  const parsed = ZPublicAuthSchema.safeParse(credential.auth);
  if (!parsed.success) throw new Error(`credential ${credential.id}: its stored auth is not a valid public auth object`);
  return parsed.data;
}

export type TWireCredential = ReturnType<typeof credentialToWire>;
