/**
 * The ticks of a waterfall's time axis: 0 and a round step (1, 2 or 5 × 10ⁿ ms) so that a few
 * ticks, at most `maxTicks`, cover `spanMs`.
 */
export function axisTicks(spanMs: number, maxTicks = 5): number[] {
  if (!(spanMs > 0)) return [0];
  const rough = spanMs / Math.max(1, maxTicks - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let i = 0; i * step <= spanMs; i++) ticks.push(i * step);
  return ticks;
}

/** Where `ms` falls on an axis from `fromMs` over `spanMs`, in percent, kept inside 0–100. */
export function axisPercent(ms: number, fromMs: number, spanMs: number): number {
  if (!(spanMs > 0)) return 0;
  return Math.min(100, Math.max(0, ((ms - fromMs) / spanMs) * 100));
}
