import { randomBytes } from "node:crypto";
import { type Browser, type BrowserContext, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { VaultCipher } from "@/lib/vault/cipher";
import { openSecrets } from "@/lib/vault/credential-secrets";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { fieldError, waitForFieldError } from "@/tests/fixtures/field-errors";

// The vault pages in Debian's Chromium against the real server on PostgreSQL: create a vault and an
// environment variable credential (bad fields refused next to them), see it listed without its
// value, rotate the value (checked by decrypting the row), archive it, delete the vault; another
// team's vault is not found. Every response the browser received is searched for the secrets.

const available = await requirePostgres("the vault pages suite");

const TEAM = "/t/ada-lovelace";
const VAULT_KEY = randomBytes(32);
const SECRET = `ghp_first_${randomBytes(16).toString("hex")}`;
const ROTATED = `ghp_second_${randomBytes(16).toString("hex")}`;
const BEARER = `bearer_${randomBytes(16).toString("hex")}`;
const OAUTH = { access: `access_${randomBytes(16).toString("hex")}`, refresh: `refresh_${randomBytes(16).toString("hex")}`, client: `client_${randomBytes(16).toString("hex")}` };
const SECRETS = [SECRET, ROTATED, BEARER, OAUTH.access, OAUTH.refresh, OAUTH.client];

const screenshot = screenshotter("vaults");

async function signUp(context: BrowserContext, app: AppServer, name: string, email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.url}/sign-up`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct-horse-battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/t\/[a-z-]+$/, { timeout: WAIT_MS });
  return page;
}



describe.runIf(available)("vaults and credentials in the browser", () => {
  let app: AppServer;
  let db: Database;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let vaultId: string;
  let credentialId: string;
  /** Every response body the browser received (pages, RSC payloads, server action answers). */
  const bodies: Promise<string>[] = [];
  /** What the browser sent (form submissions): where the secrets did travel, one way. */
  const sent: string[] = [];

  const stored = async () => {
    const row = await db.prisma.credential.findUniqueOrThrow({ where: { id: credentialId } });
    return openSecrets(new VaultCipher({ current: VAULT_KEY }), row);
  };

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres", env: { VAULT_KEY: VAULT_KEY.toString("base64"), VAULT_KEY_PREVIOUS: "", NEXTAUTH_SECRET: randomBytes(32).toString("base64") } });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on("response", (response) => bodies.push(response.text().catch(() => "")));
    context.on("request", (request) => sent.push(request.postData() ?? ""));
    page = await signUp(context, app, "Ada Lovelace", "ada@example.com");
  });

  afterAll(async () => {
    await browser?.close();
    await db?.close();
    await app?.stop();
  });

  it("starts from an empty list, and refuses a vault without a name next to the field", async () => {
    await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Vaults" }).click();
    await page.waitForURL(new RegExp(`${TEAM}/vaults$`));
    await page.getByText("No vaults yet").waitFor();
    expect(await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Vaults" }).getAttribute("aria-current")).toBe("page");
    await screenshot(page, "list-empty");

    await page.getByRole("link", { name: "Create a vault" }).click();
    await page.waitForURL(new RegExp(`${TEAM}/vaults/new$`));
    await page.getByRole("button", { name: "Create vault" }).click();
    await waitForFieldError(page.locator("#vault-name"), "Give the vault a name");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("vault-name");

    await page.locator("#vault-name").fill("Production");
    await page.getByRole("button", { name: "Create vault" }).click();
    await page.waitForURL(/\/vaults\/vlt_[0-9A-Za-z]+\?created=1$/, { timeout: WAIT_MS });
    vaultId = new URL(page.url()).pathname.split("/").at(-1)!;
    await page.getByText("No credentials").waitFor();
  });

  it("adds an environment variable credential, refusing bad fields next to them, and lists it without its value", async () => {
    await page.getByRole("link", { name: "Add credential" }).click();
    await page.waitForURL(/\/credentials\/new$/, { timeout: WAIT_MS });
    // Environment variable is the type the form starts with.
    expect(await page.getByRole("radio", { name: /Environment variable/ }).isChecked()).toBe(true);
    await page.locator("#credential-display-name").fill("GitHub");
    await page.locator("#credential-secret-name").fill("github-token");
    await page.locator("#credential-secret-value").fill(SECRET);
    await page.locator("#credential-allowed-hosts").fill("api.github.com\nhttps://uploads.github.com/x");
    await page.getByRole("button", { name: "Add credential" }).click();

    expect(await waitForFieldError(page.locator("#credential-secret-name"), "environment variable name")).not.toContain(SECRET);
    expect(await waitForFieldError(page.locator("#credential-allowed-hosts"), /^⚠?\s*Line 2 \(“https:\/\/uploads\.github\.com\/x”\): must be a hostname/)).toBeTruthy();
    expect(await fieldError(page.locator("#credential-secret-value"))).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("credential-secret-name");
    await screenshot(page, "credential-refused");

    // The value typed is still there (in the browser only): fix the other fields and add it.
    await page.locator("#credential-secret-name").fill("GITHUB_TOKEN");
    await page.locator("#credential-allowed-hosts").fill("api.github.com\n*.githubusercontent.com");
    await page.getByRole("checkbox", { name: "Body" }).check();
    await page.getByRole("button", { name: "Add credential" }).click();
    await page.waitForURL(new RegExp(`/vaults/${vaultId}\\?added=1$`), { timeout: WAIT_MS });

    const row = page.getByRole("row", { name: /GitHub/ });
    await row.waitFor();
    const text = await row.innerText();
    for (const expected of ["GITHUB_TOKEN", "Environment variable", "api.github.com, *.githubusercontent.com"]) expect(text).toContain(expected);
    expect(await page.content()).not.toContain(SECRET);
    await screenshot(page, "vault");

    credentialId = (await row.getByRole("link", { name: "GitHub" }).getAttribute("href"))!.split("/").at(-1)!;
    expect(await stored()).toEqual({ secret_value: SECRET });

    await page.goto(`${app.url}${TEAM}/vaults`);
    // Name, credential count, created.
    expect((await page.getByRole("row", { name: /Production/ }).getByRole("cell").nth(1).innerText()).trim()).toBe("1");
  });

  it("rotates the value on the credential's page, keeping it when the field is left blank", async () => {
    await page.goto(`${app.url}${TEAM}/vaults/${vaultId}/credentials/${credentialId}`);
    await page.getByRole("heading", { name: "GitHub" }).waitFor();
    const details = await page.locator("dl").innerText();
    expect(details).toContain("GITHUB_TOKEN");
    expect(details).toContain("Headers and body");
    expect(details).not.toContain(SECRET);

    // Settings only: the stored value stays.
    await page.locator("#credential-allowed-hosts").fill("api.github.com");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.", { exact: true }).waitFor({ timeout: WAIT_MS });
    expect(await stored()).toEqual({ secret_value: SECRET });

    // A bad host is refused next to its field, and nothing is saved.
    await page.locator("#credential-allowed-hosts").fill("not a host");
    await page.locator("#credential-secret-value").fill(ROTATED);
    await page.getByRole("button", { name: "Save changes" }).click();
    await waitForFieldError(page.locator("#credential-allowed-hosts"), /^⚠?\s*Line 1 /);
    expect(await stored()).toEqual({ secret_value: SECRET });

    await page.locator("#credential-allowed-hosts").fill("api.github.com");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved. The new secret replaces the old one.").waitFor({ timeout: WAIT_MS });
    expect(await page.locator("#credential-secret-value").inputValue()).toBe("");
    expect(await stored()).toEqual({ secret_value: ROTATED });
    await screenshot(page, "credential");
  });

  it("adds bearer and OAuth credentials, and refuses a second one for the same variable next to its field", async () => {
    const addHref = `${app.url}${TEAM}/vaults/${vaultId}/credentials/new`;
    await page.goto(addHref);
    await page.locator("#credential-secret-name").fill("GITHUB_TOKEN");
    await page.locator("#credential-secret-value").fill("another-value");
    await page.locator("#credential-allowed-hosts").fill("api.github.com");
    await page.getByRole("button", { name: "Add credential" }).click();
    await waitForFieldError(page.locator("#credential-secret-name"), "already has an active credential for this variable");

    await page.getByRole("radio", { name: /Bearer token/ }).check();
    await page.locator("#credential-mcp-server-url").fill("https://mcp.example.com/mcp");
    await page.locator("#credential-token").fill(BEARER);
    await page.getByRole("button", { name: "Add credential" }).click();
    await page.waitForURL(new RegExp(`/vaults/${vaultId}\\?added=1$`), { timeout: WAIT_MS });

    await page.goto(addHref);
    await page.getByRole("radio", { name: /MCP OAuth/ }).check();
    await page.locator("#credential-display-name").fill("Linear");
    await page.locator("#credential-mcp-server-url").fill("https://mcp.linear.example.com/sse");
    await page.locator("#credential-access-token").fill(OAUTH.access);
    await page.getByLabel("The token can be refreshed").check();
    await page.locator("#credential-client-id").fill("oma-client");
    await page.locator("#credential-refresh-token").fill(OAUTH.refresh);
    await page.locator("#credential-token-endpoint").fill("https://auth.linear.example.com/token");
    await page.locator("#credential-token-endpoint-auth").selectOption("client_secret_post");
    await page.locator("#credential-client-secret").fill(OAUTH.client);
    await screenshot(page, "new-oauth");
    await page.getByRole("button", { name: "Add credential" }).click();
    await page.waitForURL(new RegExp(`/vaults/${vaultId}\\?added=1$`), { timeout: WAIT_MS });

    expect(await page.getByRole("row", { name: /mcp\.example\.com/ }).innerText()).toContain("Bearer token");
    expect(await page.getByRole("row", { name: /Linear/ }).innerText()).toContain("MCP OAuth");
    const cipher = new VaultCipher({ current: VAULT_KEY });
    const rows = await db.prisma.credential.findMany({ where: { vaultId }, orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.authType, openSecrets(cipher, row)])).toEqual([
      ["environment_variable", { secret_value: ROTATED }],
      ["static_bearer", { token: BEARER }],
      ["mcp_oauth", { access_token: OAUTH.access, refresh_token: OAUTH.refresh, client_secret: OAUTH.client }],
    ]);
  });

  it("never sends a secret to the browser, in any response", async () => {
    await page.reload();
    await page.getByRole("row", { name: /Linear/ }).waitFor();
    const received = await Promise.all(bodies);
    expect(received.length).toBeGreaterThan(10);
    // The pages did carry the credential's public fields, so the search looks where it should.
    expect(received.some((body) => body.includes("GITHUB_TOKEN"))).toBe(true);
    for (const secret of SECRETS) {
      expect(sent.some((body) => body.includes(secret)), "the secret was submitted").toBe(true);
      for (const encoded of [secret, Buffer.from(secret).toString("base64"), Buffer.from(secret).toString("hex")]) {
        expect(received.filter((body) => body.includes(encoded)).length, `a response holds a secret as ${encoded.slice(0, 12)}…`).toBe(0);
      }
    }
  });

  it("shows another team's vault to no one else: its URLs are not found", async () => {
    const graceContext = await browser.newContext();
    const grace = await signUp(graceContext, app, "Grace Hopper", "grace@example.com");
    for (const route of [`${TEAM}/vaults`, `${TEAM}/vaults/${vaultId}`, `${TEAM}/vaults/${vaultId}/credentials/${credentialId}`, `${TEAM}/vaults/${vaultId}/credentials/new`]) {
      const response = await grace.goto(`${app.url}${route}`);
      expect(response?.status(), route).toBe(404);
      expect(await grace.content(), route).not.toContain("Production");
    }
    // Ada's vault under Grace's own team reads like an id that does not exist: a 404 (the vault's
    // and the credential's layouts look them up before anything streams).
    for (const route of [
      `/t/grace-hopper/vaults/${vaultId}`,
      `/t/grace-hopper/vaults/${vaultId}/credentials/new`,
      `/t/grace-hopper/vaults/${vaultId}/credentials/${credentialId}`,
      "/t/grace-hopper/vaults/vlt_00000000000000000000000000",
    ]) {
      const response = await grace.goto(`${app.url}${route}`);
      expect(response?.status(), route).toBe(404);
      await grace.getByText("This page does not exist").waitFor({ timeout: WAIT_MS });
      expect(await grace.content(), route).not.toContain("Production");
    }
    await grace.goto(`${app.url}/t/grace-hopper/vaults`);
    await grace.getByText("No vaults yet").waitFor();
    await graceContext.close();
  });

  it("fits a phone screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
    const small = await phone.newPage();
    for (const [name, route] of [
      ["phone-vault", `${TEAM}/vaults/${vaultId}`],
      ["phone-new-credential", `${TEAM}/vaults/${vaultId}/credentials/new`],
    ] as const) {
      await small.goto(`${app.url}${route}`);
      await small.getByRole("heading", { level: 2 }).first().waitFor();
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, route).toBeLessThanOrEqual(0);
      await screenshot(small, name);
    }
    await phone.close();
  });

  it("archives the credential and deletes the vault, each after a confirmation", async () => {
    await page.goto(`${app.url}${TEAM}/vaults/${vaultId}/credentials/${credentialId}`);
    await page.getByRole("button", { name: "Archive GitHub" }).click();
    await page.getByText("Archive this credential?").waitFor();
    await page.getByRole("button", { name: "Archive", exact: true }).click();
    await page.getByText("This credential is archived").waitFor({ timeout: WAIT_MS });
    expect(await page.locator("#credential-secret-value").count()).toBe(0);

    await page.goto(`${app.url}${TEAM}/vaults/${vaultId}`);
    await page.getByRole("row", { name: /Linear/ }).waitFor();
    expect(await page.getByRole("row", { name: /GitHub/ }).count()).toBe(0);
    await page.getByRole("link", { name: "Including archived" }).click();
    await page.getByRole("row", { name: /GitHub/ }).getByText("Archived").waitFor({ timeout: WAIT_MS });

    await page.getByRole("button", { name: "Delete Production" }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Delete Production");
    await page.getByRole("button", { name: "Delete Production" }).click();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.waitForURL(new RegExp(`${TEAM}/vaults$`), { timeout: WAIT_MS });
    await page.getByText("No vaults yet").waitFor();
    expect(await db.prisma.vault.count({ where: { id: vaultId } })).toBe(0);
    expect(await db.prisma.credential.count({ where: { vaultId } })).toBe(0);
  });
});
