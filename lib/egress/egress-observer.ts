import "server-only";

/**
 * What the egress proxy tells an observer (traces, for one) about each request it lets out: the
 * method, where it went and how it ended, in bytes. Never a path, a query, a header or a body —
 * those may carry a credential the proxy put there, or one the sandbox should not have had.
 * A CONNECT relayed as an opaque tunnel is one request of method `CONNECT`, its bytes both ways.
 */
export type TEgressRequest = {
  method: string;
  scheme: "http" | "https";
  host: string;
  port: number;
  /** Whether the proxy terminated the TLS to apply a credential (then each request inside is one). */
  intercepted: boolean;
};

export type TEgressOutcome = {
  /** The upstream's status; null when no response came (connection failed, cut off, refused by the proxy). */
  status: number | null;
  requestBytes: number;
  responseBytes: number;
  /** Why it failed, as a short code (`ECONNREFUSED`, `upstream_failed`, `aborted`); null when a response came. */
  error: string | null;
};

/** Called as a request leaves; what it returns is called once, when it has ended. */
export type EgressObserver = (request: TEgressRequest) => (outcome: TEgressOutcome) => void;
