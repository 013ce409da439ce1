import "server-only";
import { hostname } from "node:os";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newSecretToken } from "@/lib/ids";
import type { Logger } from "@/lib/log";
import type { VaultCipher } from "@/lib/vault/cipher";
import type { TPrivateAddressPolicy } from "./destination";
import { WebhookDispatcher } from "./dispatcher";
import { PrismaWebhookOutbox } from "./prisma-outbox";

export type TWebhookSettings = {
  WEBHOOKS_ALLOW_PRIVATE: TPrivateAddressPolicy;
  WEBHOOKS_TIMEOUT_MS: number;
  WEBHOOKS_RETRY_BASE_MS: number;
  WEBHOOKS_MAX_ATTEMPTS: number;
  WEBHOOKS_POLL_MS: number;
};

/** The dispatcher of this process (the server or `npm run worker`) on the database's outbox. Not started. */
export function createWebhookDispatcher(options: { prisma: PrismaClient; cipher: () => VaultCipher; settings: TWebhookSettings; log: Logger }): WebhookDispatcher {
  const { settings } = options;
  return new WebhookDispatcher({
    outbox: new PrismaWebhookOutbox(options.prisma),
    openSecret: (delivery) => options.cipher().decrypt(delivery.secret, delivery.endpointId),
    owner: `${hostname()}:${process.pid}:${newSecretToken("").slice(0, 8)}`,
    log: options.log.child({ component: "webhooks" }),
    retry: { baseMs: settings.WEBHOOKS_RETRY_BASE_MS, maxDelayMs: 6 * 3_600_000, maxAttempts: settings.WEBHOOKS_MAX_ATTEMPTS },
    timeoutMs: settings.WEBHOOKS_TIMEOUT_MS,
    pollMs: settings.WEBHOOKS_POLL_MS,
    privateAddresses: settings.WEBHOOKS_ALLOW_PRIVATE,
  });
}
