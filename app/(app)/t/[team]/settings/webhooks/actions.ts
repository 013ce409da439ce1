"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { teamPath } from "@/lib/auth/current-team";
import { requireMembership } from "@/lib/auth/require-membership";
import { isId } from "@/lib/ids";
import { useCases } from "@/lib/server/root";
import type { TFormState } from "@/components/forms/form-state";
import type { TCreatedWebhook } from "@/components/webhooks/webhook-create-form";
import { refused, textValues } from "../../../../form-results";

const ZWebhookIdSchema = z.object({ webhookId: z.string().refine((id) => isId("webhook", id), { error: "This endpoint no longer exists." }) });
const ZResendSchema = ZWebhookIdSchema.extend({ deliveryId: z.string().refine((id) => isId("webhookDelivery", id), { error: "This delivery no longer exists." }) });

const webhooksPath = (slug: string) => teamPath(slug, "settings", "webhooks");

/** Registers an endpoint (any member): the same use-case and checks as `POST /v1/webhooks`; the secret is in the answer, once. */
export async function createWebhookAction(teamSlug: string, _previous: TFormState<TCreatedWebhook>, formData: FormData): Promise<TFormState<TCreatedWebhook>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const eventTypes = formData.getAll("event_types").map(String);
  const url = String(formData.get("url") ?? "").trim();
  const values = { url, event_types: eventTypes.join(",") };
  if (eventTypes.length === 0) return { status: "error", fieldErrors: { event_types: "Tick at least one event type." }, values };
  try {
    const created = await useCases().webhooks.create({ teamId: team.id, body: { url, event_types: eventTypes } });
    revalidatePath(webhooksPath(team.slug));
    return { status: "success", data: { url: created.url, secret: created.secret } };
  } catch (error) {
    return refused(fieldOf(error), values);
  }
}

export async function deleteWebhookAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZWebhookIdSchema.safeParse(textValues(formData, ["webhookId"]));
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]!.message };
  try {
    await useCases().webhooks.delete({ teamId: team.id, webhookId: parsed.data.webhookId });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(webhooksPath(team.slug));
  return { status: "success", data: null };
}

export async function resendDeliveryAction(teamSlug: string, _previous: TFormState<null>, formData: FormData): Promise<TFormState<null>> {
  const { team } = await requireMembership(useCases(), teamSlug);
  const parsed = ZResendSchema.safeParse(textValues(formData, ["webhookId", "deliveryId"]));
  if (!parsed.success) return { status: "error", message: parsed.error.issues[0]!.message };
  try {
    await useCases().webhooks.resend({ teamId: team.id, ...parsed.data });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(webhooksPath(team.slug));
  return { status: "success", data: null };
}

/** The API's refusal of a field (`url: …`, `event_types[0]: …`), shown by that field without the API's prefix. */
function fieldOf(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const path = typeof error.details?.path === "string" ? error.details.path : undefined;
  const field = path?.startsWith("event_types") ? "event_types" : path === "url" ? "url" : undefined;
  if (!field) return error;
  const rest = error.message.replace(/^[\w.[\]]+: /, "");
  const message = field === "url" ? `This URL ${rest}` : rest.charAt(0).toUpperCase() + rest.slice(1);
  return new AppError(error.code, message, { ...error.details, field });
}
