import type { TEventBody } from "@/lib/event-log/events";
import type { TTimelineEvent } from "@/lib/timeline/fold-timeline";

/** A log built event by event, with seqs and ids the way the store assigns them. */
export class LogBuilder {
  readonly events: TTimelineEvent[] = [];

  add(body: TEventBody): TTimelineEvent {
    const seq = this.events.length + 1;
    const event = { ...body, id: `sevt_${String(seq).padStart(4, "0")}`, seq, processed_at: new Date(Date.UTC(2026, 0, 1, 12, 0, seq)).toISOString() } as TTimelineEvent;
    this.events.push(event);
    return event;
  }

  userMessage(text: string) {
    return this.add({ type: "user.message", content: [{ type: "text", text }] });
  }

  agentMessage(text: string) {
    return this.add({ type: "agent.message", content: [{ type: "text", text }] });
  }

  running() {
    return this.add({ type: "session.status_running" });
  }

  requestStart() {
    return this.add({ type: "span.model_request_start" });
  }

  requestEnd(start: TTimelineEvent, output = 10) {
    return this.add({
      type: "span.model_request_end",
      model_request_start_id: start.id,
      is_error: false,
      model_usage: { input_tokens: 100, output_tokens: output, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
  }

  idle(stop: Extract<TEventBody, { type: "session.status_idle" }>["stop_reason"] = { type: "end_turn" }) {
    return this.add({ type: "session.status_idle", stop_reason: stop });
  }

  /** A whole turn: message → running → request → answer → end → idle. */
  turn(question: string, answer: string) {
    this.userMessage(question);
    this.running();
    const start = this.requestStart();
    this.agentMessage(answer);
    this.requestEnd(start);
    this.idle();
  }
}
