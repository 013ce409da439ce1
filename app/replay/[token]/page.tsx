import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ReplayPlayer } from "@/components/replay/replay-player";
import { useCases } from "@/lib/server/root";

export const dynamic = "force-dynamic";

type TProps = { params: Promise<{ token: string }> };

/** One load per request, shared by the metadata and the page. */
const load = cache((token: string) => useCases().replays.load({ token }));

export async function generateMetadata({ params }: TProps): Promise<Metadata> {
  const replay = await load((await params).token);
  return {
    title: replay ? `Replay: ${replay.title ?? "Untitled session"}` : "Link no longer valid",
    // the token is in the address: never hand it to another site, never index it
    referrer: "no-referrer",
    robots: { index: false, follow: false },
  };
}

/** A shared session's read-only replay, for anyone with the link: no sign-in. */
export default async function ReplayPage({ params }: TProps) {
  const { token } = await params;
  const replay = await load(token);
  if (!replay) notFound();
  return (
    <ReplayPlayer
      token={token}
      sessionId={replay.sessionId}
      title={replay.title}
      agentName={replay.agentName}
      modelFamily={replay.modelFamily}
      initialEvents={replay.firstPage.events}
      hasMore={replay.firstPage.hasMore}
    />
  );
}
