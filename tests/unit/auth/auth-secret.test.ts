import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AUTH_SECRET_FILE_NAME, readAuthSecret } from "@/lib/auth/auth-secret";
import { createLogger, type LogLevel } from "@/lib/log";

function capturingLog() {
  const lines: { level: LogLevel; line: string }[] = [];
  return { lines, log: createLogger({ format: "json", write: (level, line) => lines.push({ level, line }) }) };
}

describe("readAuthSecret", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "oma-auth-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("uses NEXTAUTH_SECRET when it is set, and writes no file", () => {
    const dir = tempDir();
    const secret = "s".repeat(40);
    expect(readAuthSecret({ NEXTAUTH_SECRET: secret }, { dataDir: dir, embedded: true, log: capturingLog().log })).toBe(secret);
    expect(fs.existsSync(path.join(dir, AUTH_SECRET_FILE_NAME))).toBe(false);
  });

  it("refuses a short NEXTAUTH_SECRET without echoing it", () => {
    const read = () => readAuthSecret({ NEXTAUTH_SECRET: "hunter2" }, { dataDir: tempDir(), embedded: true, log: capturingLog().log });
    expect(read).toThrow(/^Invalid environment: NEXTAUTH_SECRET must be at least 32 characters/);
    expect(read).not.toThrow(/hunter2/);
  });

  it("requires NEXTAUTH_SECRET with PostgreSQL", () => {
    expect(() => readAuthSecret({}, { dataDir: tempDir(), embedded: false, log: capturingLog().log })).toThrow(/NEXTAUTH_SECRET is required with DATABASE_URL/);
  });

  it("on the embedded database, generates a secret file once (mode 0600) and warns", () => {
    const dir = tempDir();
    const first = capturingLog();
    const secret = readAuthSecret({ NEXTAUTH_SECRET: "" }, { dataDir: dir, embedded: true, log: first.log });
    const file = path.join(dir, AUTH_SECRET_FILE_NAME);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(first.lines).toEqual([expect.objectContaining({ level: "warn", line: expect.stringContaining("generated a session secret") })]);
    expect(first.lines[0]!.line).not.toContain(secret);

    const second = capturingLog();
    expect(readAuthSecret({}, { dataDir: dir, embedded: true, log: second.log })).toBe(secret);
    expect(second.lines[0]!.line).toContain("using the session secret file");
    expect(fs.readdirSync(dir)).toEqual([AUTH_SECRET_FILE_NAME]);
  });
});
