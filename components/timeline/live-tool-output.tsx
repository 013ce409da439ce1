"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { TLiveToolOutput } from "@/lib/sessions/ui/live-session";

/**
 * The output of running commands as it streams (tool use id → output), for the timeline's
 * terminals. The session view provides it; the replay does not (it shows recorded output only).
 */
const LiveToolOutputContext = createContext<Readonly<Record<string, TLiveToolOutput>>>({});

export function LiveToolOutputProvider({ outputs, children }: { outputs: Readonly<Record<string, TLiveToolOutput>>; children: ReactNode }) {
  return <LiveToolOutputContext.Provider value={outputs}>{children}</LiveToolOutputContext.Provider>;
}

/** The live output of the call, or null when none has streamed (or its result replaced it). */
export function useLiveToolOutput(toolUseId: string): TLiveToolOutput | null {
  return useContext(LiveToolOutputContext)[toolUseId] ?? null;
}

/** How much live output there is in all, so the timeline can follow it as it grows. */
export function useLiveToolOutputSize(): number {
  const outputs = useContext(LiveToolOutputContext);
  let size = 0;
  for (const output of Object.values(outputs)) size += output.stdout.length + output.stderr.length;
  return size;
}
