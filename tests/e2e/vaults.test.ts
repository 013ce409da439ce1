import { randomBytes } from "node:crypto";
import { type Browser, type BrowserContext, type Page } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/open-database";
import { VaultCipher } from "@/lib/vault/cipher";
import { archiveVault } from "@/lib/vault/archive-vault";
import { createVault } from "@/lib/vault/create-vault";
import { deleteVault } from "@/lib/vault/delete-vault";
import { openSecrets } from "@/lib/vault/credential-secrets";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";
import { launchChromium, screenshotter, WAIT_MS } from "@/tests/fixtures/browser";
import { startMessagesApiServer, type MessagesApiServer } from "@/tests/fixtures/messages-api";
import { requirePostgres } from "@/tests/fixtures/postgres";
import { startMcpTestServer, type TMcpTestServer } from "@/tests/integration/mcp/mcp-test-server";
import { fieldError, waitForFieldError } from "./field-errors";
import type { TTeam } from "./pages/app-page";
import { AgentPage } from "./pages/agent-page";
import { ApiKeysPage } from "./pages/api-keys-page";
import { CredentialPage } from "./pages/credential-page";
import { NewSessionPage } from "./pages/new-session-page";
import { NewVaultPage } from "./pages/new-vault-page";
import { NotFoundPage } from "./pages/not-found-page";
import { TeamOverviewPage } from "./pages/team-overview-page";
import { VaultPage } from "./pages/vault-page";
import { newId } from "@/lib/ids";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { until } from "@/tests/fixtures/wait";
import { VaultsListPage } from "./pages/vaults-list-page";
import { WebhooksPage } from "./pages/webhooks-page";
import { signUp } from "./sign-up";

// The vault pages in Debian's Chromium against the real server on PostgreSQL: create a vault and an
// environment variable credential (bad fields refused next to them), see it listed without its
// value, rotate the value (checked by decrypting the row), archive it, delete the vault; another
// team's vault is not found. A session started in the browser with vaults picked has them (read
// back through the API), and its agent's MCP server (added in the agent builder) is called by the
// harness with the vault's token; an archived vault or another team's is refused next to the picker. Every response the browser received is searched for the secrets.

const available = await requirePostgres("the vault pages suite");

const ADA = { name: "Ada Lovelace", email: "ada@example.com", password: "correct-horse-battery", team: "ada-lovelace" };
const GRACE = { name: "Grace Hopper", email: "grace@example.com", password: "correct-horse-battery", team: "grace-hopper" };
const TEAM = "/t/ada-lovelace";
const VAULT_KEY = randomBytes(32);
const SECRET = `ghp_first_${randomBytes(16).toString("hex")}`;
const ROTATED = `ghp_second_${randomBytes(16).toString("hex")}`;
const BEARER = `bearer_${randomBytes(16).toString("hex")}`;
const OAUTH = { access: `access_${randomBytes(16).toString("hex")}`, refresh: `refresh_${randomBytes(16).toString("hex")}`, client: `client_${randomBytes(16).toString("hex")}` };
const SECRETS = [SECRET, ROTATED, BEARER, OAUTH.access, OAUTH.refresh, OAUTH.client];
/** The token the local MCP server wants, kept in a vault the session picks. */
const MCP_TOKEN = `mcp_${randomBytes(16).toString("hex")}`;

const screenshot = screenshotter("vaults");

describe.runIf(available)("vaults and credentials in the browser", () => {
  let app: AppServer;
  let model: MessagesApiServer;
  let mcp: TMcpTestServer;
  let db: Database;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let team: TTeam;
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
    // The scripted Messages API and a local MCP server, for a session that calls an MCP tool.
    model = await startMessagesApiServer({ interChunkDelayMs: 0 });
    mcp = await startMcpTestServer({ token: MCP_TOKEN });
    app = await startAppServer({
      database: "postgres",
      env: {
        VAULT_KEY: VAULT_KEY.toString("base64"),
        VAULT_KEY_PREVIOUS: "",
        NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
        ANTHROPIC_API_KEY: "model-key",
        ANTHROPIC_BASE_URL: model.url,
        EGRESS_ALLOW_PRIVATE_ADDRESSES: "true",
        WEBHOOKS_ALLOW_PRIVATE: "127.0.0.1",
      },
    });
    db = await openDatabase({ kind: "postgres", url: app.databaseUrl!, poolSize: 2 }, { migrate: false });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on("response", (response) => bodies.push(response.text().catch(() => "")));
    context.on("request", (request) => sent.push(request.postData() ?? ""));
    page = await context.newPage();
    team = await signUp(page, app, ADA);
  });

  afterAll(async () => {
    await browser?.close();
    await db?.close();
    await app?.stop();
    await mcp?.close();
    await model?.close();
  });

  it("starts from an empty list, and refuses a vault without a name next to the field", async () => {
    const vaults = new VaultsListPage(page, team);
    await new TeamOverviewPage(page, team).openFromNav("Vaults");
    await vaults.noVaults.waitFor();
    expect(await vaults.navLink("Vaults").getAttribute("aria-current")).toBe("page");
    await screenshot(page, "list-empty");

    const form = new NewVaultPage(page, team);
    await vaults.createVault();
    await form.create();
    await waitForFieldError(form.name, "Give the vault a name");
    expect(await form.focusedId()).toBe("vault-name");

    await form.name.fill("Production");
    await form.create();
    vaultId = await form.waitForCreated();
    await new VaultPage(page, team, vaultId).noCredentials.waitFor();
  });

  it("adds an environment variable credential, refusing bad fields next to them, and lists it without its value", async () => {
    const vault = new VaultPage(page, team, vaultId);
    const form = new CredentialPage(page, team, vaultId);
    await vault.addCredential();
    // Environment variable is the type the form starts with.
    expect(await form.type("Environment variable").isChecked()).toBe(true);
    await form.field("display-name").fill("GitHub");
    await form.field("secret-name").fill("github-token");
    await form.field("secret-value").fill(SECRET);
    await form.field("allowed-hosts").fill("api.github.com\nhttps://uploads.github.com/x");
    await form.add();

    expect(await waitForFieldError(form.field("secret-name"), "environment variable name")).not.toContain(SECRET);
    expect(await waitForFieldError(form.field("allowed-hosts"), /^⚠?\s*Line 2 \(“https:\/\/uploads\.github\.com\/x”\): must be a hostname/)).toBeTruthy();
    expect(await fieldError(form.field("secret-value"))).toBeNull();
    expect(await form.focusedId()).toBe("credential-secret-name");
    await screenshot(page, "credential-refused");

    // The value typed is still there (in the browser only): fix the other fields and add it.
    await form.field("secret-name").fill("GITHUB_TOKEN");
    await form.field("allowed-hosts").fill("api.github.com\n*.githubusercontent.com");
    await form.injectInto("Body").check();
    await form.add();
    await vault.waitForAdded();

    const row = vault.row(/GitHub/);
    await row.waitFor();
    const text = await row.innerText();
    for (const expected of ["GITHUB_TOKEN", "Environment variable", "api.github.com, *.githubusercontent.com"]) expect(text).toContain(expected);
    expect(await page.content()).not.toContain(SECRET);
    await screenshot(page, "vault");

    credentialId = await vault.credentialId("GitHub");
    expect(await stored()).toEqual({ secret_value: SECRET });

    const vaults = new VaultsListPage(page, team);
    await vaults.goto();
    // Name, credential count, created.
    expect(await vaults.credentialCount(/Production/)).toBe("1");
  });

  it("rotates the value on the credential's page, keeping it when the field is left blank", async () => {
    const form = new CredentialPage(page, team, vaultId);
    await form.goto(credentialId);
    await form.heading("GitHub").waitFor();
    const details = await form.details();
    expect(details).toContain("GITHUB_TOKEN");
    expect(details).toContain("Headers and body");
    expect(details).not.toContain(SECRET);

    // Settings only: the stored value stays.
    await form.field("allowed-hosts").fill("api.github.com");
    await form.save();
    await form.waitForMessage("Saved.", { exact: true });
    expect(await stored()).toEqual({ secret_value: SECRET });

    // A bad host is refused next to its field, and nothing is saved.
    await form.field("allowed-hosts").fill("not a host");
    await form.field("secret-value").fill(ROTATED);
    await form.save();
    await waitForFieldError(form.field("allowed-hosts"), /^⚠?\s*Line 1 /);
    expect(await stored()).toEqual({ secret_value: SECRET });

    await form.field("allowed-hosts").fill("api.github.com");
    await form.save();
    await form.waitForMessage("Saved. The new secret replaces the old one.");
    expect(await form.field("secret-value").inputValue()).toBe("");
    expect(await stored()).toEqual({ secret_value: ROTATED });
    await screenshot(page, "credential");
  });

  it("adds bearer and OAuth credentials, and refuses a second one for the same variable next to its field", async () => {
    const vault = new VaultPage(page, team, vaultId);
    const form = new CredentialPage(page, team, vaultId);
    await form.gotoNew();
    await form.field("secret-name").fill("GITHUB_TOKEN");
    await form.field("secret-value").fill("another-value");
    await form.field("allowed-hosts").fill("api.github.com");
    await form.add();
    await waitForFieldError(form.field("secret-name"), "already has an active credential for this variable");

    await form.type("Bearer token").check();
    await form.field("mcp-server-url").fill("https://mcp.example.com/mcp");
    await form.field("token").fill(BEARER);
    await form.add();
    await vault.waitForAdded();

    await form.gotoNew();
    await form.fillMcpOAuth({
      displayName: "Linear",
      serverUrl: "https://mcp.linear.example.com/sse",
      accessToken: OAUTH.access,
      clientId: "oma-client",
      refreshToken: OAUTH.refresh,
      tokenEndpoint: "https://auth.linear.example.com/token",
      tokenEndpointAuth: "client_secret_post",
      clientSecret: OAUTH.client,
    });
    await screenshot(page, "new-oauth");
    await form.add();
    await vault.waitForAdded();

    expect(await vault.row(/mcp\.example\.com/).innerText()).toContain("Bearer token");
    expect(await vault.row(/Linear/).innerText()).toContain("MCP OAuth");
    const cipher = new VaultCipher({ current: VAULT_KEY });
    const rows = await db.prisma.credential.findMany({ where: { vaultId }, orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.authType, openSecrets(cipher, row)])).toEqual([
      ["environment_variable", { secret_value: ROTATED }],
      ["static_bearer", { token: BEARER }],
      ["mcp_oauth", { access_token: OAUTH.access, refresh_token: OAUTH.refresh, client_secret: OAUTH.client }],
    ]);
  });

  it("checks an OAuth credential now: a server that cannot be reached gives an unknown verdict, and changes nothing", async () => {
    const before = await db.prisma.credential.findFirstOrThrow({ where: { vaultId, authType: "mcp_oauth" } });
    const form = new CredentialPage(page, team, vaultId);
    await form.goto(before.id);
    await form.checkNow();
    await form.waitForMessage("The MCP server or the token endpoint could not be reached", { exact: false });
    expect(await form.validation.innerText()).toContain("Failed step: initialize (no HTTP answer).");
    await screenshot(page, "oauth-check");
    const after = await db.prisma.credential.findUniqueOrThrow({ where: { id: before.id } });
    expect([after.secretCiphertext, after.auth]).toEqual([before.secretCiphertext, before.auth]);
    await new VaultPage(page, team, vaultId).goto();
  });

  it("never sends a secret to the browser, in any response", async () => {
    await page.reload();
    await new VaultPage(page, team, vaultId).row(/Linear/).waitFor();
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
    const grace = await graceContext.newPage();
    const graceTeam = await signUp(grace, app, GRACE);
    const notFound = new NotFoundPage(grace);
    for (const route of [`${TEAM}/vaults`, `${TEAM}/vaults/${vaultId}`, `${TEAM}/vaults/${vaultId}/credentials/${credentialId}`, `${TEAM}/vaults/${vaultId}/credentials/new`]) {
      expect(await notFound.visit(`${app.url}${route}`), route).toBe(404);
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
      expect(await notFound.visit(`${app.url}${route}`), route).toBe(404);
      await notFound.message.waitFor({ timeout: WAIT_MS });
      expect(await grace.content(), route).not.toContain("Production");
    }
    const graceVaults = new VaultsListPage(grace, graceTeam);
    await graceVaults.goto();
    await graceVaults.noVaults.waitFor();
    await graceContext.close();
  });

  it("starts a session with the vaults picked, refusing an archived one or another team's next to the picker", async () => {
    const adaTeam = await db.prisma.team.findUniqueOrThrow({ where: { slug: ADA.team } });
    const graceTeam = await db.prisma.team.findUniqueOrThrow({ where: { slug: GRACE.team } });
    // Set up through the use-cases of the API: a second vault of Ada's (archived once the form is
    // open, as if in another tab) and one of Grace's team.
    const staging = await createVault(db.prisma, { teamId: adaTeam.id, body: { display_name: "Staging" } });
    const graces = await createVault(db.prisma, { teamId: graceTeam.id, body: { display_name: "Grace's" } });
    // A bearer token for the local MCP server, in Production; an agent that uses that server.
    const credential = new CredentialPage(page, team, vaultId);
    await credential.gotoNew();
    await credential.type("Bearer token").check();
    await credential.field("mcp-server-url").fill(mcp.url);
    await credential.field("token").fill(MCP_TOKEN);
    await credential.add();
    await new VaultPage(page, team, vaultId).waitForAdded();
    const agent = new AgentPage(page, team);
    await agent.gotoNew();
    await agent.fill({ name: "Vault user" });
    await agent.addMcpServer(0, { name: "issues", url: mcp.url });
    await agent.submit();
    await agent.waitForCreated();

    const form = new NewSessionPage(page, team);
    await form.goto();
    // The team's vaults only, newest first, with their active credentials.
    expect(await form.vaultOptions()).toEqual(["Staging · 0 credentials", "Production · 4 credentials"]);
    await form.vault("Production").check();
    await form.vault("Staging").check();
    await form.title.fill("Deploy with secrets");
    await archiveVault(db.prisma, { teamId: adaTeam.id, vaultId: staging.id });
    await form.submit();
    await waitForFieldError(form.vaults, `vault "Staging" (${staging.id}) is archived`);
    // What was chosen and typed is all still there.
    expect(await form.vault("Production").isChecked()).toBe(true);
    expect(await form.vault("Staging").isChecked()).toBe(true);
    expect(await form.title.inputValue()).toBe("Deploy with secrets");
    await screenshot(page, "new-session-archived-vault");

    // Another team's vault, as a tampered form would send it, reads like an unknown one.
    await form.vault("Staging").evaluate((box, id) => ((box as HTMLInputElement).value = id), graces.id);
    await form.submit();
    await waitForFieldError(form.vaults, `vault ${graces.id} not found`);
    expect(await db.prisma.session.count({ where: { teamId: adaTeam.id } })).toBe(0);

    // The model files an issue through the MCP server's tool; the harness calls it with the vault's token.
    await form.vault("Staging").uncheck();
    await form.message.fill("File a dark mode issue");
    model.enqueue({ content: [{ type: "tool_use", name: "issues__create_issue", input: { title: "Dark mode" } }] }, { content: [{ type: "text", text: "Filed #42." }] });
    const sessionId = await form.start();
    await page.getByText("Filed #42.").first().waitFor({ timeout: WAIT_MS });
    expect(mcp.calls).toEqual([{ tool: "create_issue", input: { title: "Dark mode" } }]);
    expect(mcp.refused).toBe(0);
    expect(await page.content()).not.toContain(MCP_TOKEN);
    const apiKeys = new ApiKeysPage(page, team);
    await apiKeys.goto();
    const apiKey = await apiKeys.createKey("vault picker");
    const response = await fetch(`${app.url}/v1/sessions/${sessionId}`, { headers: { "x-api-key": apiKey } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: sessionId, title: "Deploy with secrets", vault_ids: [vaultId] });
    // The token travelled once, in the credential form, and came back in no response.
    expect(sent.some((body) => body.includes(MCP_TOKEN))).toBe(true);
    expect((await Promise.all(bodies)).filter((body) => body.includes(MCP_TOKEN)).length).toBe(0);

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
    const small = new NewSessionPage(await phone.newPage(), team);
    await small.goto();
    await small.vault("Production").waitFor();
    expect(await small.overflowWidth()).toBeLessThanOrEqual(0);
    await screenshot(small.page, "phone-new-session");
    await phone.close();
    // Production is the team's only vault again, for the last test's "no vaults".
    await deleteVault(db.prisma, { teamId: adaTeam.id, vaultId: staging.id });
  });

  it("fits a phone screen", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, storageState: await context.storageState() });
    const small = await phone.newPage();
    const vault = new VaultPage(small, team, vaultId);
    const form = new CredentialPage(small, team, vaultId);
    for (const [name, view, open] of [
      ["phone-vault", vault, () => vault.goto()],
      ["phone-new-credential", form, () => form.gotoNew()],
    ] as const) {
      await open();
      await view.firstSectionHeading.waitFor();
      expect(await view.overflowWidth(), name).toBeLessThanOrEqual(0);
      await screenshot(small, name);
    }
    await phone.close();
  });

  it("archives the credential and deletes the vault, each after a confirmation", async () => {
    const vault = new VaultPage(page, team, vaultId);
    const form = new CredentialPage(page, team, vaultId);
    await form.goto(credentialId);
    await form.archive("GitHub");
    expect(await form.field("secret-value").count()).toBe(0);

    await vault.goto();
    await vault.row(/Linear/).waitFor();
    expect(await vault.row(/GitHub/).count()).toBe(0);
    await vault.includeArchived();
    await vault.row(/GitHub/).getByText("Archived").waitFor({ timeout: WAIT_MS });

    await vault.askToDelete("Production");
    await vault.cancel();
    expect(await vault.focusedLabel()).toBe("Delete Production");
    await vault.askToDelete("Production");
    await vault.confirmDelete();
    await new VaultsListPage(page, team).noVaults.waitFor();
    expect(await db.prisma.vault.count({ where: { id: vaultId } })).toBe(0);
    expect(await db.prisma.credential.count({ where: { vaultId } })).toBe(0);
  });

  it("adds a webhook endpoint in Settings, refusing a private address next to the field, shows its secret once, sealed like a credential", async () => {
    const webhooks = new WebhooksPage(page, team);
    await webhooks.goto();
    await webhooks.openFromNav("Webhooks");
    await webhooks.noEndpoints.waitFor();
    await webhooks.urlField.fill("http://10.1.2.3/hook");
    await webhooks.add();
    await waitForFieldError(webhooks.urlField, "This URL resolves to a loopback, private or link-local address");
    const url = "http://127.0.0.1:59999/hook"; // allowed by WEBHOOKS_ALLOW_PRIVATE; nothing listens there
    await webhooks.urlField.fill(url);
    await webhooks.add();
    const secret = await webhooks.shownSecret();
    expect(secret).toMatch(/^whsec_/);
    await webhooks.endpoint(url).waitFor({ timeout: WAIT_MS });
    const row = await db.prisma.webhookEndpoint.findFirstOrThrow({ where: { url } });
    expect(row.eventTypes).toEqual(["session.status_run_started", "session.status_idled", "session.status_terminated"]);
    expect(new VaultCipher({ current: VAULT_KEY }).decrypt({ ciphertext: row.secretCiphertext, iv: row.secretIv, tag: row.secretTag, keyId: row.keyId }, row.id)).toBe(secret);
    // a delivery the receiver refuses (nothing listens): its error shows, and Resend makes it due again
    const sessionId = newId("session");
    await recordWebhookEvent(db.prisma, { teamId: row.teamId, sessionId, type: "session.status_idled" });
    const attempted = async (n: number) => (await db.prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: row.id } })).attempts >= n;
    await until("the first attempt", () => attempted(1), { timeoutMs: WAIT_MS });
    await webhooks.goto();
    const delivery = webhooks.delivery(url, sessionId);
    await delivery.getByText(/^the request failed/).waitFor({ timeout: WAIT_MS });
    expect(await delivery.getByText("pending").count()).toBe(1);
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, "webhooks");
    await webhooks.resend(url, sessionId);
    await until("the resent attempt", () => attempted(2), { timeoutMs: WAIT_MS });
    await webhooks.delete(url);
    await webhooks.noEndpoints.waitFor({ timeout: WAIT_MS });
    expect(await db.prisma.webhookEndpoint.count({ where: { id: row.id } })).toBe(0);
  });
});
