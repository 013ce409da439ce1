import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSignUpError } from "@/lib/auth/sign-up-error";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { WebClient } from "@/tests/fixtures/web-client";

/**
 * Accounts and team pages against the real production server: sign-up and sign-in go through
 * next-auth's credentials endpoints the way the forms do (CSRF token from /api/auth/csrf, cookies
 * kept), then the team pages are fetched as that user, as a stranger, and signed out.
 */

/** A cookie-keeping client with the sign-up and sign-in posts of the forms. */
class Visitor extends WebClient {
  /** next-auth answers a credentials POST with `{ url }`; a refusal carries `?error=` in it. */
  async authError(response: Response): Promise<string | null> {
    const { url } = (await response.json()) as { url: string };
    return new URL(url).searchParams.get("error");
  }

  signUp(fields: { name: string; email: string; password: string }) {
    return this.post("/api/auth/callback/sign-up", fields);
  }

  signIn(fields: { email: string; password: string }) {
    return this.post("/api/auth/callback/credentials", fields);
  }
}

function location(response: Response, base: string): string {
  const url = new URL(response.headers.get("location")!, base);
  return `${url.pathname}${url.search}`;
}

const ADA = { name: "Ada Lovelace", email: "ada@example.com", password: "analytical-engine" };
const GRACE = { name: "Grace Hopper", email: "grace@example.com", password: "compilers-rule" };

describe("sign-up, sign-in and team pages on the real server", () => {
  let app: AppServer;
  let ada: Visitor;
  let adaTeam: string;

  beforeAll(async () => {
    app = await startAppServer();
    ada = new Visitor(app.url);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("serves the sign-in and sign-up forms with labelled fields", async () => {
    for (const [path, fields] of [
      ["/sign-in", ["email", "password"]],
      ["/sign-up", ["name", "email", "password"]],
    ] as const) {
      const response = await new Visitor(app.url).fetch(path);
      expect(response.status).toBe(200);
      const html = await response.text();
      for (const field of fields) {
        expect(html).toContain(`for="${field}"`);
        expect(html).toMatch(new RegExp(`<input[^>]*id="${field}"`));
      }
    }
  });

  it("signs up, signed in at once, and lands in the personal team", async () => {
    const response = await ada.signUp(ADA);
    expect(response.status).toBe(200);
    expect(await ada.authError(response)).toBeNull();
    expect(ada.hasSession()).toBe(true);

    const session = await (await ada.fetch("/api/auth/session")).json();
    expect(session.user).toMatchObject({ email: ADA.email, name: ADA.name, id: expect.stringMatching(/^user_/) });

    const home = await ada.fetch("/teams");
    expect(home.status).toBe(307);
    adaTeam = location(home, app.url);
    expect(adaTeam).toBe("/t/ada-lovelace");

    const page = await ada.fetch(adaTeam);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Ada Lovelace&#x27;s team");
    expect(html).toContain("No agents yet");
    expect(html).toContain("No sessions yet");
    expect(html).toContain(ADA.email);
  });

  it("sends signed-out visitors to sign in, with the way back", async () => {
    const stranger = new Visitor(app.url);
    for (const path of ["/t/ada-lovelace", "/t/ada-lovelace/settings/members", "/teams/new", "/invite/abc"]) {
      const response = await stranger.fetch(path);
      expect(response.status, path).toBe(307);
      expect(location(response, app.url)).toBe(`/sign-in?${new URLSearchParams({ callbackUrl: path })}`);
    }
  });

  it("refuses another user's team with the same 404 as a team that does not exist", async () => {
    const grace = new Visitor(app.url);
    expect(await grace.authError(await grace.signUp(GRACE))).toBeNull();
    for (const path of ["/t/ada-lovelace", "/t/ada-lovelace/settings/members", "/t/ada-lovelace/settings/api-keys", "/t/no-such-team"]) {
      const response = await grace.fetch(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("Ada Lovelace&#x27;s team");
    }
    expect((await grace.fetch("/t/grace-hopper")).status).toBe(200);
  });

  it("shows the owner the members and API key pages", async () => {
    const members = await ada.fetch(`${adaTeam}/settings/members`);
    expect(members.status).toBe(200);
    const html = await members.text();
    expect(html).toContain("Invite people");
    expect(html).toContain("No pending invitations");
    const keys = await ada.fetch(`${adaTeam}/settings/api-keys`);
    expect(keys.status).toBe(200);
    expect(await keys.text()).toContain("No API keys yet");
  });

  it("signs in with the right password only", async () => {
    const visitor = new Visitor(app.url);
    const wrong = await visitor.signIn({ email: ADA.email, password: "analytical-engine!" });
    expect(wrong.status).toBe(401);
    expect(await visitor.authError(wrong)).toBe("CredentialsSignin");
    const unknown = await visitor.signIn({ email: "nobody@example.com", password: ADA.password });
    expect(await visitor.authError(unknown)).toBe("CredentialsSignin");
    expect(visitor.hasSession()).toBe(false);

    const right = await visitor.signIn({ email: "ADA@example.com", password: ADA.password });
    expect(right.status).toBe(200);
    expect(visitor.hasSession()).toBe(true);
    expect((await visitor.fetch(adaTeam)).status).toBe(200);
  });

  it("refuses a second account for the same email, naming the field", async () => {
    const visitor = new Visitor(app.url);
    const response = await visitor.signUp({ ...ADA, name: "Impostor" });
    expect(response.status).toBe(401);
    expect(decodeSignUpError(await visitor.authError(response))).toMatchObject({ field: "email", message: expect.stringMatching(/already exists/) });
    expect(visitor.hasSession()).toBe(false);
  });

  it("refuses a sign-up or sign-in without next-auth's CSRF token", async () => {
    const visitor = new Visitor(app.url);
    const response = await visitor.post("/api/auth/callback/sign-up", { name: "No Token", email: "notoken@example.com", password: "long-enough-pw" }, { csrf: false });
    expect(await visitor.authError(response)).toBeNull(); // sent back to sign in, not signed up
    expect(visitor.hasSession()).toBe(false);
    expect(await visitor.authError(await visitor.signIn({ email: "notoken@example.com", password: "long-enough-pw" }))).toBe("CredentialsSignin");
  });

  it("signs out", async () => {
    const response = await ada.post("/api/auth/signout", {});
    expect(response.status).toBe(200);
    expect(ada.hasSession()).toBe(false);
    expect((await ada.fetch(adaTeam)).status).toBe(307);
  });
});
