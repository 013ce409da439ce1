import "server-only";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { parseWith } from "@/lib/resource/parse";
import type { VaultCipher } from "@/lib/vault/cipher";
import { webhookUrlProblem, type TPrivateAddressPolicy } from "./destination";
import { WEBHOOK_LIMITS, ZWebhookCreateSchema } from "./schemas";
import { newSigningSecret } from "./sign";
import { webhookToWire } from "./webhook-to-wire";

export type TWebhookDeps = { prisma: PrismaClient; cipher: () => VaultCipher; privateAddresses: TPrivateAddressPolicy };

/**
 * `POST /v1/webhooks`: registers an endpoint and answers with its signing secret (`whsec_…`), the
 * only time it is shown: it is stored sealed with the vault cipher, bound to the endpoint's id.
 * A URL whose host is a loopback, private or link-local address is refused (400 on `url`) unless
 * WEBHOOKS_ALLOW_PRIVATE allows it.
 */
export async function createWebhook(deps: TWebhookDeps, options: { teamId: string; body: unknown }) {
  const input = parseWith(ZWebhookCreateSchema, options.body);
  const problem = await webhookUrlProblem(input.url, deps.privateAddresses);
  if (problem) throw new AppError("invalid_request", `url: ${problem}`, { path: "url", field: "url" });
  const count = await deps.prisma.webhookEndpoint.count({ where: { teamId: options.teamId } });
  if (count >= WEBHOOK_LIMITS.endpointsPerTeam) throw new AppError("invalid_request", `a team has at most ${WEBHOOK_LIMITS.endpointsPerTeam} webhook endpoints: delete one first`);
  const id = newId("webhook");
  const secret = newSigningSecret();
  const sealed = deps.cipher().encrypt(secret, id);
  const endpoint = await deps.prisma.webhookEndpoint.create({
    data: {
      id,
      teamId: options.teamId,
      url: input.url,
      description: input.description ?? "",
      eventTypes: [...new Set(input.event_types)],
      secretCiphertext: sealed.ciphertext,
      secretIv: sealed.iv,
      secretTag: sealed.tag,
      keyId: sealed.keyId,
    },
  });
  return { ...webhookToWire(endpoint), secret };
}
