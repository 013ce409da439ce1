import "server-only";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import type { VaultCipher } from "@/lib/vault/cipher";
import { StreamableHttpMcpConnector } from "./streamable-http-connector";
import type { TMcpDeps } from "./types";
import { VaultMcpCredentialSource } from "./vault-credential-source";

/**
 * MCP for a harness backed by the database: Streamable HTTP, tokens from the sessions' vaults
 * (OAuth tokens refreshed there). `allowPrivateAddresses` applies to MCP servers and token endpoints alike.
 */
export function createMcpDeps(prisma: PrismaClient, cipher: () => VaultCipher, settings: { allowPrivateAddresses: boolean; log?: Logger }): TMcpDeps {
  return {
    connector: new StreamableHttpMcpConnector({ allowPrivateAddresses: settings.allowPrivateAddresses }),
    credentials: new VaultMcpCredentialSource(prisma, cipher, { allowPrivateAddresses: settings.allowPrivateAddresses, log: settings.log }),
  };
}
