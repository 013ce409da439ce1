import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Credential, PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { VaultCipher } from "@/lib/vault/cipher";
import { splitAuthCreate } from "@/lib/vault/credential-auth";
import { sealSecrets } from "@/lib/vault/credential-secrets";
import { loadCredentialSecrets } from "@/lib/vault/load-credential-secrets";
import { ZAuthCreateSchema } from "@/lib/vault/schemas";

/**
 * `loadCredentialSecrets` over an in-memory stand-in for the two tables it reads: it answers the
 * filters the function may send (vault ids, archived or not, the vault's team and archive state).
 */
type TVaultRow = { id: string; teamId: string; archivedAt: Date | null };
type TWhere = { vaultId?: { in: string[] }; archivedAt?: null; vault?: { teamId?: string; archivedAt?: null } };

function fakePrisma(vaults: TVaultRow[], credentials: Credential[]) {
  const queries: TWhere[] = [];
  const prisma = {
    credential: {
      async findMany({ where }: { where: TWhere }) {
        queries.push(where);
        const vaultOf = (c: Credential) => vaults.find((v) => v.id === c.vaultId)!;
        return credentials
          .filter((c) => (where.vaultId ? where.vaultId.in.includes(c.vaultId) : true))
          .filter((c) => (where.archivedAt === null ? c.archivedAt === null : true))
          .filter((c) => (where.vault?.teamId ? vaultOf(c).teamId === where.vault.teamId : true))
          .filter((c) => (where.vault?.archivedAt === null ? vaultOf(c).archivedAt === null : true))
          .sort((a, b) => a.id.localeCompare(b.id));
      },
    },
  };
  return { prisma: prisma as unknown as PrismaClient, queries };
}

function credentialRow(cipher: VaultCipher, vaultId: string, auth: unknown, options: { archived?: boolean; at?: number } = {}): Credential {
  const id = newId("credential", options.at);
  const split = splitAuthCreate(ZAuthCreateSchema.parse(auth));
  const now = new Date();
  return {
    id,
    vaultId,
    displayName: null,
    authType: split.auth.type,
    auth: split.auth,
    ...sealSecrets(cipher, id, split.secrets),
    metadata: {},
    createdAt: now,
    updatedAt: now,
    archivedAt: options.archived ? now : null,
  } as Credential;
}

const bearer = (token: string) => ({ type: "static_bearer", mcp_server_url: `https://${token}.example.com/mcp`, token });

describe("loadCredentialSecrets", () => {
  const cipher = new VaultCipher({ current: new Uint8Array(randomBytes(32)) });
  const team = newId("team");
  const vaultA = { id: newId("vault"), teamId: team, archivedAt: null };
  const vaultB = { id: newId("vault"), teamId: team, archivedAt: null };
  const archivedVault = { id: newId("vault"), teamId: team, archivedAt: new Date() };
  const foreignVault = { id: newId("vault"), teamId: newId("team"), archivedAt: null };
  const t = Date.now();
  const rows = [
    credentialRow(cipher, vaultA.id, bearer("a-old"), { at: t - 2000 }),
    credentialRow(cipher, vaultA.id, { type: "environment_variable", secret_name: "API_KEY", secret_value: "env-secret", networking: { type: "unrestricted" } }, { at: t - 1000 }),
    credentialRow(cipher, vaultA.id, bearer("a-archived"), { archived: true }),
    credentialRow(cipher, vaultB.id, bearer("b-first"), { at: t - 5000 }),
    credentialRow(cipher, archivedVault.id, bearer("in-archived-vault")),
    credentialRow(cipher, foreignVault.id, bearer("foreign")),
  ];
  const vaults = [vaultA, vaultB, archivedVault, foreignVault];

  it("decrypts the active credentials of the team's active vaults, in the order of the vault ids", async () => {
    const { prisma } = fakePrisma(vaults, rows);
    const loaded = await loadCredentialSecrets(prisma, cipher, { teamId: team, vaultIds: [vaultB.id, vaultA.id, archivedVault.id, foreignVault.id] });
    expect(loaded.map((c) => [c.vaultId, c.type, c.secrets])).toEqual([
      [vaultB.id, "static_bearer", { token: "b-first" }],
      [vaultA.id, "static_bearer", { token: "a-old" }],
      [vaultA.id, "environment_variable", { secret_value: "env-secret" }],
    ]);
    const env = loaded.find((c) => c.type === "environment_variable")!;
    expect(env.auth).toEqual({ type: "environment_variable", secret_name: "API_KEY", networking: { type: "unrestricted" }, injection_location: { header: true, body: false } });
    expect(loaded[0]!.id).toBe(rows[3]!.id);
  });

  it("asks for nothing when no id is well formed, and ignores duplicates", async () => {
    const { prisma, queries } = fakePrisma(vaults, rows);
    expect(await loadCredentialSecrets(prisma, cipher, { teamId: team, vaultIds: ["vlt_nope", "../etc"] })).toEqual([]);
    expect(queries).toHaveLength(0);
    const twice = await loadCredentialSecrets(prisma, cipher, { teamId: team, vaultIds: [vaultB.id, vaultB.id] });
    expect(twice.map((c) => c.id)).toEqual([rows[3]!.id]);
  });

  it("fails naming the credential when one does not decrypt, rather than leaving it out", async () => {
    const tampered = { ...rows[1]!, secretTag: new Uint8Array(rows[1]!.secretTag).map((b, i) => (i === 0 ? b ^ 1 : b)) } as Credential;
    const { prisma } = fakePrisma(vaults, [rows[0]!, tampered]);
    await expect(loadCredentialSecrets(prisma, cipher, { teamId: team, vaultIds: [vaultA.id] })).rejects.toThrow(`credential ${tampered.id} failed authentication`);
    const otherKey = new VaultCipher({ current: new Uint8Array(randomBytes(32)) });
    await expect(loadCredentialSecrets(prisma, otherKey, { teamId: team, vaultIds: [vaultA.id] })).rejects.toThrow(/is encrypted with key [0-9a-f]{8}, which is not configured/);
  });
});
