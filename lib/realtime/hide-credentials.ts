/**
 * A socket's credentials stay readable in the process that holds the socket, and stay out of every
 * copy of its handshake that leaves that process.
 *
 * With the Redis adapter, `fetchSockets()` (presence asks it at every join, leave and disconnect)
 * is answered by each server with its sockets' handshakes, published through Redis, and Redis may
 * be shared, logged or monitored. So before any use of a socket, its credentials — every field of
 * `auth` (an API key, a share token) and the `cookie` and `authorization` headers (the web app's
 * session cookie) — become non-enumerable: the authorizers still read them by name, while the
 * adapter's encoder (msgpack over `Object.keys`) and any `JSON.stringify` leave them out.
 *
 * Decision: hiding in place rather than moving them to a side table keeps each authorizer reading
 * `socket.handshake` as Socket.io documents it.
 */
const CREDENTIAL_HEADERS = ["cookie", "authorization"] as const;

export function hideCredentials(handshake: { auth: Record<string, unknown>; headers: Record<string, unknown> }): void {
  for (const field of Object.keys(handshake.auth ?? {})) hide(handshake.auth, field);
  for (const header of CREDENTIAL_HEADERS) hide(handshake.headers, header);
}

function hide(holder: Record<string, unknown>, key: string): void {
  if (!Object.prototype.hasOwnProperty.call(holder, key)) return;
  Object.defineProperty(holder, key, { value: holder[key], enumerable: false, writable: false, configurable: false });
}
