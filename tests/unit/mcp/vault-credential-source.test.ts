import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Credential, PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { VaultMcpCredentialSource } from "@/lib/mcp/vault-credential-source";
import { VaultCipher } from "@/lib/vault/cipher";
import { splitAuthCreate } from "@/lib/vault/credential-auth";
import { sealSecrets } from "@/lib/vault/credential-secrets";
import { ZAuthCreateSchema } from "@/lib/vault/schemas";

/** The credential table as `loadCredentialSecrets` reads it (vault ids in, oldest first), in memory. */
function fakePrisma(rows: Credential[]) {
  let reads = 0;
  const prisma = {
    credential: {
      async findMany({ where }: { where: { vaultId: { in: string[] } } }) {
        reads++;
        return rows.filter((r) => where.vaultId.in.includes(r.vaultId)).sort((a, b) => a.id.localeCompare(b.id));
      },
    },
  };
  return { prisma: prisma as unknown as PrismaClient, reads: () => reads };
}

const cipher = new VaultCipher({ current: new Uint8Array(randomBytes(32)) });
const teamId = newId("team");
let at = Date.now() - 10_000;

function row(vaultId: string, auth: unknown): Credential {
  const id = newId("credential", at++);
  const split = splitAuthCreate(ZAuthCreateSchema.parse(auth));
  const now = new Date();
  return { id, vaultId, displayName: null, authType: split.auth.type, auth: split.auth, ...sealSecrets(cipher, id, split.secrets), metadata: {}, createdAt: now, updatedAt: now, archivedAt: null } as Credential;
}

const URL_A = "https://mcp.example.com/a";
const oauth = (url: string, token: string) => ({ type: "mcp_oauth", mcp_server_url: url, access_token: token });

describe("VaultMcpCredentialSource", () => {
  const vault1 = newId("vault");
  const vault2 = newId("vault");
  const { prisma, reads } = fakePrisma([
    row(vault1, { type: "environment_variable", secret_name: "A", secret_value: "env-value-123", networking: { type: "unrestricted" } }),
    row(vault1, oauth("https://mcp.example.com/other", "token-for-other-server")),
    row(vault2, oauth(URL_A, "token-in-vault-two")),
    row(vault1, oauth(`${URL_A}/`, "token-in-vault-one")),
    row(vault2, { type: "static_bearer", mcp_server_url: "https://static.example.com/mcp", token: "static-token-456" }),
  ]);
  const source = new VaultMcpCredentialSource(prisma, () => cipher);

  it("takes the matching credential of the first vault in the session's order", async () => {
    expect(await source.accessTokenFor({ teamId, vaultIds: [vault1, vault2], serverUrl: URL_A })).toBe("token-in-vault-one");
    expect(await source.accessTokenFor({ teamId, vaultIds: [vault2, vault1], serverUrl: URL_A })).toBe("token-in-vault-two");
    expect(await source.accessTokenFor({ teamId, vaultIds: [vault1, vault2], serverUrl: "https://static.example.com/mcp" })).toBe("static-token-456");
  });

  it("gives null when no credential names the server, and reads nothing without vaults", async () => {
    expect(await source.accessTokenFor({ teamId, vaultIds: [vault1, vault2], serverUrl: "https://mcp.example.com/a/admin" })).toBeNull();
    const before = reads();
    expect(await source.accessTokenFor({ teamId, vaultIds: [], serverUrl: URL_A })).toBeNull();
    expect(reads()).toBe(before);
  });
});
