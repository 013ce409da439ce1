import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ReplayPlayer } from "@/components/replay/replay-player";
import { getCurrentUser } from "@/lib/auth/current-user";
import { useCases } from "@/lib/server/root";
import { forkSessionAction } from "@/app/(app)/t/[team]/sessions/[sessionId]/actions";

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
  const forkTeam = await memberTeamOf(replay.sessionId);
  return (
    <ReplayPlayer
      token={token}
      sessionId={replay.sessionId}
      title={replay.title}
      agentName={replay.agentName}
      modelFamily={replay.modelFamily}
      initialEvents={replay.firstPage.events}
      hasMore={replay.firstPage.hasMore}
      fork={forkTeam ? forkSessionAction.bind(null, forkTeam, replay.sessionId) : undefined}
    />
  );
}

/**
 * The slug of the viewer's team that owns the session, when the viewer is signed in and a member:
 * they may fork it from the replay (into that team). Guests get no such button.
 */
async function memberTeamOf(sessionId: string): Promise<string | null> {
  const root = useCases();
  const user = await getCurrentUser(root);
  if (!user) return null;
  for (const team of await root.teams.listOfUser({ userId: user.id })) {
    const owns = await root.sessions.find({ teamId: team.id, sessionId }).then(
      () => true,
      () => false,
    );
    if (owns) return team.slug;
  }
  return null;
}
