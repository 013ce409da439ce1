"use client";

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";

/**
 * A scrolling list that renders only the items near the viewport, so a log of ten thousand events
 * costs what a screenful does. Item heights vary: each rendered item is measured (ResizeObserver)
 * and the rest are estimated; the space of the items not rendered is the list's padding. When an
 * item above the viewport changes height, the scroll position is corrected so what is on screen
 * stays put.
 */
export type TScrollRequest = { index: number; align: "start" | "center" | "end" | "nearest"; nonce: number };

type TProps<T> = {
  items: readonly T[];
  getKey(item: T, index: number): string;
  /** Height in pixels of an item not measured yet (including its spacing). */
  estimate(item: T, index: number): number;
  renderItem(item: T, index: number): ReactNode;
  /** Each new `nonce` scrolls the list to bring `index` into view. */
  scrollRequest?: TScrollRequest | null;
  /** Items rendered before the viewport is known (server rendering, first paint). */
  initialCount?: number;
  label: string;
  className?: string;
  /** Rendered after the items, inside the scrolling area (e.g. a message being written). */
  footer?: ReactNode;
  /** Called on every scroll with whether the list is scrolled to its end (content growing does not call it). */
  onScrolled?(position: { atBottom: boolean }): void;
};

/** Pixels rendered beyond each edge of the viewport. */
const OVERSCAN_PX = 800;
/** How long a scroll request keeps its item in place while heights around it are measured. */
const SCROLL_SETTLE_MS = 600;

/** The largest index i with offsets[i] <= y (offsets is ascending, offsets[0] = 0). */
function indexAt(offsets: Float64Array, count: number, y: number): number {
  let lo = 0;
  let hi = count - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! <= y) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function WindowedList<T>({ items, getKey, estimate, renderItem, scrollRequest, initialCount = 40, label, className = "", footer, onScrolled }: TProps<T>) {
  const containerRef = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [measured, setMeasured] = useState(0);
  const [viewport, setViewport] = useState<{ top: number; height: number } | null>(null);
  const pending = useRef<{ request: TScrollRequest; until: number } | null>(null);
  /** Where the list last scrolled itself, to tell its own scrolls from the reader's. */
  const lastSetTop = useRef(0);
  /** The scroll job still running, if any (a job ends a moment after its request). */
  const activeJob = () => (pending.current && performance.now() <= pending.current.until ? pending.current : null);

  const count = items.length;
  const offsets = useMemo(() => {
    const out = new Float64Array(count + 1);
    for (let i = 0; i < count; i++) {
      const item = items[i]!;
      out[i + 1] = out[i]! + (heights.current.get(getKey(item, i)) ?? estimate(item, i));
    }
    return out;
    // `measured` is in the dependencies because it changes whenever a height does
  }, [items, count, measured, getKey, estimate]);
  const offsetsRef = useRef(offsets);
  offsetsRef.current = offsets;

  let start = 0;
  let end = Math.min(count, initialCount);
  if (viewport && count > 0) {
    start = indexAt(offsets, count, Math.max(0, viewport.top - OVERSCAN_PX));
    end = Math.min(count, indexAt(offsets, count, viewport.top + viewport.height + OVERSCAN_PX) + 1);
  }
  const total = offsets[count]!;

  // ── viewport tracking ──
  const frame = useRef(0);
  const readViewport = useCallback(() => {
    const el = containerRef.current;
    if (!el) return;
    setViewport((prev) => (prev && prev.top === el.scrollTop && prev.height === el.clientHeight ? prev : { top: el.scrollTop, height: el.clientHeight }));
  }, []);
  const onScroll = useCallback(() => {
    const el = containerRef.current;
    // a scroll the list did not make is the reader's: it ends any scroll job
    if (el && pending.current && Math.abs(el.scrollTop - lastSetTop.current) > 2) pending.current = null;
    if (el) onScrolled?.({ atBottom: el.scrollTop + el.clientHeight >= el.scrollHeight - 4 });
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(readViewport);
  }, [readViewport, onScrolled]);
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const endJob = () => (pending.current = null);
    el.addEventListener("wheel", endJob, { passive: true });
    el.addEventListener("touchstart", endJob, { passive: true });
    readViewport();
    const observer = new ResizeObserver(() => readViewport());
    observer.observe(el);
    return () => {
      el.removeEventListener("wheel", endJob);
      el.removeEventListener("touchstart", endJob);
      observer.disconnect();
      cancelAnimationFrame(frame.current);
    };
  }, [readViewport]);

  // ── item measurement (the observer is made on first use: ref callbacks run before effects) ──
  const itemObserver = useRef<ResizeObserver | null>(null);
  const onResize = useCallback((entries: ResizeObserverEntry[]) => {
    const el = containerRef.current;
    let changed = false;
    let fresh = false;
    let shift = 0;
    const firstVisible = el ? indexAt(offsetsRef.current, Math.max(1, offsetsRef.current.length - 1), el.scrollTop) : 0;
    for (const entry of entries) {
      const target = entry.target as HTMLElement;
      const key = target.dataset.key;
      if (!key || !target.isConnected) continue;
      const height = entry.borderBoxSize?.[0]?.blockSize ?? target.getBoundingClientRect().height;
      const index = Number(target.dataset.index);
      const known = heights.current.get(key);
      const before = known ?? offsetsRef.current[index + 1]! - offsetsRef.current[index]!;
      heights.current.set(key, height);
      if (known === undefined) fresh = true;
      if (Math.abs(before - height) < 0.5) continue;
      changed = true;
      if (index < firstVisible) shift += height - before;
    }
    // while a scroll job runs, a first measurement re-renders even if the estimate was right
    if (!changed && !(fresh && activeJob())) return;
    if (el && shift !== 0 && !activeJob()) {
      el.scrollTop += shift;
      lastSetTop.current = el.scrollTop;
    }
    setMeasured((m) => m + 1);
  }, []);
  const observer = useCallback(() => (itemObserver.current ??= new ResizeObserver(onResize)), [onResize]);
  useEffect(
    () => () => {
      itemObserver.current?.disconnect();
      itemObserver.current = null;
    },
    [],
  );
  const measure = useCallback(
    (el: HTMLLIElement | null) => {
      if (!el) return;
      const ro = observer();
      ro.observe(el);
      return () => ro.unobserve(el);
    },
    [observer],
  );

  // ── scroll requests: re-applied at every render for a moment, while the items around the
  // target are measured and settle ──
  useLayoutEffect(() => {
    if (scrollRequest) pending.current = { request: scrollRequest, until: performance.now() + SCROLL_SETTLE_MS };
  }, [scrollRequest]);
  useLayoutEffect(() => {
    const el = containerRef.current;
    const job = activeJob();
    if (!job) pending.current = null;
    if (!el || !job || count === 0) return;
    const index = Math.max(0, Math.min(count - 1, job.request.index));
    const top = offsets[index]!;
    const height = offsets[index + 1]! - top;
    const view = el.clientHeight;
    let target: number;
    switch (job.request.align) {
      case "start":
        target = top - 16;
        break;
      case "end":
        target = top + height - view + 16;
        break;
      case "center":
        target = top - (view - height) / 2;
        break;
      case "nearest":
        target = top < el.scrollTop ? top - 16 : top + height > el.scrollTop + view ? top + Math.min(height, view) - view + 16 : el.scrollTop;
        break;
    }
    target = Math.max(0, Math.min(target, el.scrollHeight - view));
    if (Math.abs(el.scrollTop - target) >= 1) el.scrollTop = target;
    lastSetTop.current = el.scrollTop;
    readViewport();
  });


  return (
    <div ref={containerRef} onScroll={onScroll} className={`relative overflow-y-auto [overflow-anchor:none] ${className}`} role="region" aria-label={label} tabIndex={0}>
      <ol className="px-4 sm:px-6" style={{ paddingTop: offsets[start], paddingBottom: Math.max(0, total - offsets[end]!) }}>
        {items.slice(start, end).map((item, k) => {
          const index = start + k;
          const key = getKey(item, index);
          return (
            <li key={key} ref={measure} data-key={key} data-index={index} aria-posinset={index + 1} aria-setsize={count} className="pb-3">
              {renderItem(item, index)}
            </li>
          );
        })}
      </ol>
      {footer}
    </div>
  );
}
