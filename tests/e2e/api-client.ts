import { expect } from "vitest";

/**
 * The platform's HTTP API as a test sets up what a page then shows (agents, sessions, events):
 * `api("POST", "/v1/sessions", body)` answers the JSON body (the server and key are read at each call, once the test's `beforeAll` set them) and fails the test unless it is 200.
 */
export function apiClient(target: () => { baseUrl: string; apiKey: string }) {
  return async (method: string, route: string, body?: unknown) => {
    const { baseUrl, apiKey } = target();
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${route}`).toBe(200);
    return response.json();
  };
}
