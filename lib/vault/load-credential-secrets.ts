import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isId } from "@/lib/ids";
import type { VaultCipher } from "./cipher";
import type { TAuthType, TPublicAuth, TSecretsOf } from "./credential-auth";
import { openSecrets } from "./credential-secrets";
import { publicAuthOf } from "./credential-to-wire";

/** A credential with its secrets in the clear: for the code that applies it outside the sandbox, never for a response, log or event. */
export type TCredentialWithSecrets = {
  [T in TAuthType]: { id: string; vaultId: string; type: T; auth: Extract<TPublicAuth, { type: T }>; secrets: TSecretsOf<T> };
}[TAuthType];

/**
 * The active credentials of the team's active vaults among `vaultIds`, decrypted: in the order of
 * `vaultIds` (so an earlier vault can take precedence), then oldest first. Ids that are not the
 * team's, archived vaults and archived credentials are left out. A credential that does not
 * decrypt (unknown key, tampering) is an error naming it, not a silent omission.
 */
export async function loadCredentialSecrets(
  prisma: PrismaClient,
  cipher: VaultCipher,
  options: { teamId: string; vaultIds: readonly string[] },
): Promise<TCredentialWithSecrets[]> {
  const vaultIds = [...new Set(options.vaultIds)].filter((id) => isId("vault", id));
  if (vaultIds.length === 0) return [];
  const rows = await prisma.credential.findMany({
    where: { vaultId: { in: vaultIds }, archivedAt: null, vault: { teamId: options.teamId, archivedAt: null } },
    orderBy: { id: "asc" },
  });
  const rank = new Map(vaultIds.map((id, i) => [id, i]));
  return rows
    .filter((row) => rank.has(row.vaultId))
    .sort((a, b) => rank.get(a.vaultId)! - rank.get(b.vaultId)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((row) => {
      const auth = publicAuthOf(row);
      if (auth.type !== row.authType) throw new Error(`credential ${row.id}: its auth type does not match its stored type`);
      return { id: row.id, vaultId: row.vaultId, type: auth.type, auth, secrets: openSecrets(cipher, row) } as TCredentialWithSecrets;
    });
}
