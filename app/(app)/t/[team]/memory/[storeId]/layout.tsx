import type { ReactNode } from "react";
import { orNotFound } from "@/app/(app)/or-not-found";
import { requireMembership } from "@/lib/auth/require-membership";
import { useCases } from "@/lib/server/root";

type TProps = { children: ReactNode; params: Promise<{ team: string; storeId: string }> };

/** Resolves the store before anything streams: another team's store id (or an unknown one) answers HTTP 404. */
export default async function MemoryStoreLayout({ children, params }: TProps) {
  const { team: slug, storeId } = await params;
  const { team } = await requireMembership(useCases(), slug);
  await orNotFound(useCases().memoryStores.find({ teamId: team.id, storeId }));
  return children;
}
