import { SessionSkeleton } from "@/components/sessions/session-skeleton";

/**
 * Shown while the session's log loads (the session itself was found by the layout): the chat's
 * shape, the conversation filling the window and the message box at its foot.
 */
export default function Loading() {
  return <SessionSkeleton />;
}
