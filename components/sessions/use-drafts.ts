"use client";

import { useMemo, useRef } from "react";

/**
 * What a person has typed into a pending call's form, by the call's key, kept by the timeline
 * rather than by the form: the timeline is a windowed list, and an item that leaves the window (or
 * is re-mounted for any other reason) would otherwise come back with an empty form.
 */
export type TDrafts = {
  get(key: string): string;
  set(key: string, text: string): void;
};

export function useDrafts(): TDrafts {
  const texts = useRef(new Map<string, string>());
  return useMemo(
    () => ({
      get: (key) => texts.current.get(key) ?? "",
      set: (key, text) => {
        if (text) texts.current.set(key, text);
        else texts.current.delete(key);
      },
    }),
    [],
  );
}
