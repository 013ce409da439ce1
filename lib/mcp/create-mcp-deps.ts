import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { VaultCipher } from "@/lib/vault/cipher";
import { StreamableHttpMcpConnector } from "./streamable-http-connector";
import type { TMcpDeps } from "./types";
import { VaultMcpCredentialSource } from "./vault-credential-source";

/** MCP for a harness backed by the database: Streamable HTTP, tokens from the sessions' vaults. */
export function createMcpDeps(prisma: PrismaClient, cipher: () => VaultCipher, settings: { allowPrivateAddresses: boolean }): TMcpDeps {
  return { connector: new StreamableHttpMcpConnector(settings), credentials: new VaultMcpCredentialSource(prisma, cipher) };
}
