import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { credentialToWire } from "./credential-to-wire";
import { findTeamCredential } from "./find-team-credential";

/** `GET /v1/vaults/{id}/credentials/{id}`: the public part only; secrets are write-only. */
export async function getCredential(prisma: PrismaClient, options: { teamId: string; vaultId: string; credentialId: string }) {
  const { credential } = await findTeamCredential(prisma, options);
  return credentialToWire(credential);
}
