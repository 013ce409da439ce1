import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMetadataPatch, metadataFromJson, parseBody } from "@/lib/resource/metadata";
import { AppError } from "@/lib/errors";
import type { VaultCipher } from "./cipher";
import { applyAuthUpdate, SECRET_SCHEMAS, type TAuthType } from "./credential-auth";
import { openSecrets, sealSecrets } from "./credential-secrets";
import { credentialToWire, publicAuthOf } from "./credential-to-wire";
import { credentialInVault } from "./find-team-credential";
import { assertVaultNotArchived } from "./find-team-vault";
import { ZCredentialUpdateSchema } from "./schemas";
import { withLockedVault } from "./with-locked-vault";

/**
 * `POST /v1/vaults/{id}/credentials/{id}`: new secrets and settings of the same type (the type,
 * `mcp_server_url`, `secret_name` and `refresh.client_id` are fixed), a display name (null clears
 * it) and a metadata patch. Secrets left out are kept; new ones are encrypted under the current
 * key. Archived credentials, and credentials of archived vaults, cannot be updated.
 */
export async function updateCredential(prisma: PrismaClient, cipher: VaultCipher, options: { teamId: string; vaultId: string; credentialId: string; body: unknown }) {
  const input = parseBody(ZCredentialUpdateSchema, options.body);
  return withLockedVault(prisma, options, async (tx, vault) => {
    assertVaultNotArchived(vault);
    const row = await credentialInVault(tx, vault, options.credentialId);
    if (row.archivedAt) throw new AppError("invalid_request", `credential ${row.id} is archived`, { errorCode: "credential_archived" });

    const current = publicAuthOf(row);
    const { auth, secretPatch } = input.auth ? applyAuthUpdate(current, input.auth) : { auth: current, secretPatch: {} };
    const displayName = input.display_name === undefined ? row.displayName : input.display_name;
    const currentMetadata = metadataFromJson(row.metadata);
    const metadata = applyMetadataPatch(currentMetadata, input.metadata ?? {});
    const secretsChange = Object.keys(secretPatch).length > 0;
    const unchanged =
      !secretsChange && displayName === row.displayName && JSON.stringify(auth) === JSON.stringify(current) && JSON.stringify(metadata) === JSON.stringify(currentMetadata);
    if (unchanged) return credentialToWire(row);

    let sealed = {};
    if (secretsChange) {
      const type = row.authType as TAuthType;
      // An OAuth credential's secrets are several fields: keep those not being replaced.
      const kept = type === "mcp_oauth" ? openSecrets(cipher, row) : {};
      sealed = sealSecrets(cipher, row.id, SECRET_SCHEMAS[type].parse({ ...kept, ...secretPatch }));
    }
    const updated = await tx.credential.update({ where: { id: row.id }, data: { displayName, auth, metadata, ...sealed } });
    return credentialToWire(updated);
  });
}
