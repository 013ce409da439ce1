/**
 * The two versions the versions page compares, from its query (`?from=2&to=5`): whole numbers from 1
 * to the latest version. Anything missing or out of range falls back to the latest change: the
 * latest version against the one before it (or version 1 against itself when there is only one).
 */
export function parseVersionPair(query: Record<string, string | string[] | undefined>, latest: number): { from: number; to: number } {
  const read = (key: string): number | undefined => {
    const raw = query[key];
    if (typeof raw !== "string" || !/^[1-9]\d{0,8}$/.test(raw)) return undefined;
    const value = Number(raw);
    return value <= latest ? value : undefined;
  };
  const to = read("to") ?? latest;
  const from = read("from") ?? Math.max(1, to - 1);
  return { from, to };
}
