import { foldTimeline, INITIAL_TIMELINE, type TTimelineEvent, type TTimelineOptions, type TTimelineState } from "./fold-timeline";

/**
 * The timeline after the first `n` events of a growing log, for a player that moves back and
 * forth: moving forward folds only the new events, moving back starts from the nearest checkpoint
 * (one every `stride` events) instead of the beginning. The log may only grow by appending: the
 * fold of a prefix never changes once computed.
 */
export class PrefixFolder {
  private readonly checkpoints: TTimelineState[] = [INITIAL_TIMELINE];
  private last: { count: number; state: TTimelineState } = { count: 0, state: INITIAL_TIMELINE };

  constructor(
    private readonly options: TTimelineOptions = {},
    private readonly stride = 500,
  ) {}

  /** The fold of `events.slice(0, count)`. */
  at(events: readonly TTimelineEvent[], count: number): TTimelineState {
    const n = Math.max(0, Math.min(count, events.length));
    if (n === this.last.count) return this.last.state;
    let from = this.last.count < n && n - this.last.count <= this.stride ? this.last : this.checkpointBefore(events, n);
    // fold forward, leaving checkpoints behind on the way
    while (from.count < n) {
      const next = Math.min(n, (Math.floor(from.count / this.stride) + 1) * this.stride);
      const state = foldTimeline(from.state, events.slice(from.count, next), this.options);
      from = { count: next, state };
      if (next % this.stride === 0 && this.checkpoints.length === next / this.stride) this.checkpoints.push(state);
    }
    this.last = from;
    return from.state;
  }

  private checkpointBefore(events: readonly TTimelineEvent[], n: number): { count: number; state: TTimelineState } {
    const wanted = Math.floor(n / this.stride);
    // extend the checkpoints up to the one wanted
    while (this.checkpoints.length <= wanted) {
      const k = this.checkpoints.length;
      this.checkpoints.push(foldTimeline(this.checkpoints[k - 1]!, events.slice((k - 1) * this.stride, k * this.stride), this.options));
    }
    return { count: wanted * this.stride, state: this.checkpoints[wanted]! };
  }
}
