import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";
import { vaultKeyId } from "@/lib/vault/cipher";
import { loadOrCreateKeyFile, parseVaultKey } from "@/lib/vault/vault-keys";
import { startAppServer, type AppServer } from "@/tests/fixtures/app-server";

/**
 * The embedded default needs no configuration: without VAULT_KEY the server generates a key once,
 * when it starts, into DATA_DIR/vault.key (mode 0600), says that production should set VAULT_KEY,
 * and reuses it.
 */
describe("the embedded default's vault key", () => {
  let app: AppServer;
  beforeAll(async () => {
    app = await startAppServer({ env: { VAULT_KEY: "", VAULT_KEY_PREVIOUS: "" } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("is generated into DATA_DIR/vault.key at start, readable by the owner only, with a warning", async () => {
    const file = path.join(app.dataDir, "vault.key");
    expect(fs.existsSync(file)).toBe(true);
    const generated = fs.readFileSync(file, "utf8");
    const client = new Anthropic({ apiKey: app.apiKey, baseURL: app.url, maxRetries: 0 });
    const vault = await client.beta.vaults.create({ display_name: "embedded" });
    const credential = await client.beta.vaults.credentials.create(vault.id, { auth: { type: "static_bearer", mcp_server_url: "https://mcp.example.com", token: "embedded-token-value" } });
    expect(credential.auth).toEqual({ type: "static_bearer", mcp_server_url: "https://mcp.example.com" });
    await client.beta.vaults.credentials.update(credential.id, { vault_id: vault.id, auth: { type: "static_bearer", token: "embedded-token-2" } });

    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toBe(generated); // used, not replaced
    const key = parseVaultKey(fs.readFileSync(file, "utf8"), "key file");
    const warnings = app.output().split("\n").filter((line) => line.includes("set VAULT_KEY in production"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(vaultKeyId(key));
    expect(app.output()).not.toContain(Buffer.from(key).toString("base64"));
    expect(app.output()).not.toContain("embedded-token");
  });
});

describe("loadOrCreateKeyFile", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-vault-key-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("generates a key once and then reads the same one back", () => {
    const lines: string[] = [];
    const log = createLogger({ write: (_level, line) => lines.push(line) });
    const dir = path.join(tempDir(), "nested", "data");
    const first = loadOrCreateKeyFile(dir, log);
    const again = loadOrCreateKeyFile(dir, log);
    expect(first.byteLength).toBe(32);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(["vault.key"]);
    expect(lines[0]).toMatch(/generated a key for the embedded database; set VAULT_KEY in production/);
    expect(lines[1]).toMatch(/using the key file of the embedded database; set VAULT_KEY in production/);
  });

  it("refuses a damaged key file, naming the file and not its content", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "vault.key"), "half-a-key-and-some-junk\n", { mode: 0o600 });
    let message = "";
    try {
      loadOrCreateKeyFile(dir, createLogger({ write: () => {} }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`Invalid vault key file ${path.join(dir, "vault.key")}: the key must be 32 random bytes encoded as base64 (44 characters) or hex (64 characters), e.g. from \`openssl rand -base64 32\` (got 24 characters)`);
  });
});
