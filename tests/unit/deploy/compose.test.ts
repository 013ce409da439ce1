import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseEnv, ZEnvSchema } from "@/lib/env";

/**
 * compose.yaml and the Dockerfile it builds, checked against the code they start: no container
 * runtime runs here, so this is what keeps them from drifting (a renamed setting or script, a
 * service pointing at a host that is not one of them).
 */
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const read = (file: string) => fs.readFileSync(`${ROOT}/${file}`, "utf8");

type TService = {
  command?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  privileged?: boolean;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
  build?: string;
  image?: string;
};
const compose = parse(read("compose.yaml"), { merge: true }) as { services: Record<string, TService>; volumes: Record<string, unknown> };
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

/** `${NAME:-default}` → default, `${NAME:?message}` → a value such a setting takes, `${NAME}` → "". */
function interpolate(value: string): string {
  const samples: Record<string, string> = {
    POSTGRES_PASSWORD: "secret",
    NEXTAUTH_SECRET: "n".repeat(44),
    VAULT_KEY: Buffer.alloc(32, 7).toString("base64"),
  };
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => (kind === "-" ? (rest ?? "") : (samples[name] ?? "")));
}

const platform = ["web", "worker"] as const;

describe("compose.yaml", () => {
  it("has PostgreSQL, Redis, web processes, harness workers and optional hands", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["hands", "postgres", "redis", "web", "worker"]);
    expect(compose.services.hands!.profiles).toEqual(["hands"]);
    expect(Object.keys(compose.volumes).sort()).toEqual(["data", "postgres"]);
  });

  it("starts each platform service with a script the project has", () => {
    expect(compose.services.web!.command).toEqual(["npm", "start"]);
    expect(scripts.start).toBeDefined();
    expect(compose.services.worker!.command).toEqual(["npm", "run", "worker"]);
    const hands = compose.services.hands!.command!;
    expect(hands.slice(0, 4)).toEqual(["npm", "run", "hands", "--"]);
    for (const name of ["worker", "hands"]) expect(scripts[name], name).toBeDefined();
    // the options scripts/hands.ts reads
    const handsSource = read("scripts/hands.ts");
    for (const option of hands.filter((arg) => arg.startsWith("--") && arg !== "--")) expect(handsSource).toContain(`${option.slice(2)}: { type: "string" }`);
  });

  it("gives the platform services only settings the server knows, which it accepts, on the compose services' hosts", () => {
    for (const name of platform) {
      const environment = Object.fromEntries(Object.entries(compose.services[name]!.environment!).map(([key, value]) => [key, interpolate(String(value))]));
      for (const key of Object.keys(environment)) expect(Object.keys(ZEnvSchema.shape), `${name}: ${key}`).toContain(key);
      const env = parseEnv(environment);
      expect(new URL(env.DATABASE_URL!).hostname).toBe("postgres");
      expect(new URL(env.REDIS_URL!).hostname).toBe("redis");
      expect(env.DATA_DIR).toBe("/data");
      expect(compose.services[name]!.volumes).toContain("data:/data");
    }
    // the web processes leave the harness to the workers; the workers run sandboxes, which need namespaces
    expect(parseEnv(Object.fromEntries(Object.entries(compose.services.web!.environment!).map(([k, v]) => [k, interpolate(String(v))]))).HARNESS_IN_PROCESS).toBe(false);
    expect(compose.services.worker!.privileged).toBe(true);
    // the hands dial the web processes by their service name
    expect(new URL(compose.services.hands!.environment!.ANTHROPIC_BASE_URL!).hostname).toBe("web");
  });

  it("refuses to start without the secrets every process sharing the database needs", () => {
    const raw = read("compose.yaml");
    for (const name of ["POSTGRES_PASSWORD", "NEXTAUTH_SECRET", "VAULT_KEY"]) expect(raw).toMatch(new RegExp(`\\$\\{${name}:\\?`));
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  it("installs the runtime's system packages with the project's own script, builds the app and starts it", () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm/m);
    expect(dockerfile).toContain("bash scripts/install-system-deps.sh --runtime");
    expect(fs.existsSync(`${ROOT}/scripts/install-system-deps.sh`)).toBe(true);
    expect(dockerfile).toContain("RUN npm ci");
    expect(dockerfile).toContain("RUN npm run build");
    expect(dockerfile).toContain('CMD ["npm", "start"]');
    expect(read(".dockerignore").split("\n")).toEqual(expect.arrayContaining(["node_modules", ".next", ".data"]));
  });
});
