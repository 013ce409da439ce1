import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { parseBody } from "@/lib/resource/metadata";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { VaultCipher } from "./cipher";
import { splitAuthCreate, type TPublicAuth } from "./credential-auth";
import { sealSecrets } from "./credential-secrets";
import { credentialToWire, publicAuthOf } from "./credential-to-wire";
import { assertVaultNotArchived } from "./find-team-vault";
import { ZCredentialCreateSchema } from "./schemas";
import { withLockedVault } from "./with-locked-vault";

/**
 * `POST /v1/vaults/{id}/credentials`: stores the public part of `auth` as is and its secrets
 * encrypted (bound to the new credential's id). A vault holds at most one active credential per MCP
 * server URL and one per secret name (409 otherwise); an archived vault takes none (400).
 */
export async function createCredential(prisma: PrismaClient, cipher: VaultCipher, options: { teamId: string; vaultId: string; body: unknown }) {
  const input = parseBody(ZCredentialCreateSchema, options.body);
  const { auth, secrets } = splitAuthCreate(input.auth);
  return withLockedVault(prisma, options, async (tx, vault) => {
    assertVaultNotArchived(vault);
    await assertNoActiveTwin(tx, vault.id, auth);
    const id = newId("credential");
    const row = await tx.credential.create({
      data: {
        id,
        vaultId: vault.id,
        displayName: input.display_name ?? null,
        authType: auth.type,
        auth,
        ...sealSecrets(cipher, id, secrets),
        metadata: input.metadata ?? {},
      },
    });
    return credentialToWire(row);
  });
}

/** What a credential is for: the MCP server it authenticates to, or the variable it fills. */
function targetOf(auth: TPublicAuth): string {
  return auth.type === "environment_variable" ? `secret_name ${auth.secret_name}` : `mcp_server_url ${auth.mcp_server_url}`;
}

async function assertNoActiveTwin(tx: Prisma.TransactionClient, vaultId: string, auth: TPublicAuth): Promise<void> {
  const active = await tx.credential.findMany({ where: { vaultId, archivedAt: null }, select: { id: true, auth: true } });
  const target = targetOf(auth);
  const twin = active.find((row) => targetOf(publicAuthOf(row)) === target);
  if (twin) {
    throw new AppError("conflict", `vault ${vaultId} already has an active credential for this ${target.split(" ")[0]} (${twin.id}): update or archive it first`, {
      errorCode: "credential_already_exists",
    });
  }
}
