import "server-only";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import fs from "node:fs/promises";
import { isIP } from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";

/**
 * The per-installation certificate authority with which the egress proxy terminates TLS towards
 * hosts it substitutes credentials for. Sandboxes trust it (its certificate is in the bundle they
 * get); its private key never leaves the host directory it was created in.
 *
 * Node has no API to issue X.509 certificates, so the `openssl` command does it: once for the CA,
 * once per host for a leaf (one key pair shared by all leaves), cached in memory.
 *
 * Layout of the directory (0700):
 *   ca.key (0600), ca.crt, leaf.key (0600)
 *   sandbox-ca-bundle.pem (0644): the host's trusted roots plus ca.crt, for sandboxes to bind.
 */
export interface EgressCa {
  readonly certPem: string;
  readonly certPath: string;
  /** The bundle a sandbox should trust: system roots plus this CA. */
  readonly bundlePath: string;
  /** A TLS context presenting a certificate for `host`, issued (and cached) on first use. */
  secureContextFor(host: string): Promise<tls.SecureContext>;
}

export interface EgressCaOptions {
  /** Where the CA lives; created when missing. */
  dir: string;
  /** The openssl command (default: found on PATH or in /usr/bin). */
  openssl?: string;
  /** Leaf lifetime in days (default 30); leaves are re-issued when the process restarts. */
  leafDays?: number;
  /** Most leaf contexts kept in memory (default 1000). */
  maxCachedHosts?: number;
}

const CA_SUBJECT = "/O=Open Managed Agents/CN=Open Managed Agents egress CA";
const SYSTEM_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

export async function loadOrCreateEgressCa(options: EgressCaOptions): Promise<EgressCa> {
  const openssl = options.openssl ?? (await findOpenssl());
  const dir = path.resolve(options.dir);
  if (!(await exists(path.join(dir, "ca.crt")))) await createCaDir(openssl, dir);
  const certPath = path.join(dir, "ca.crt");
  const caKeyPath = path.join(dir, "ca.key");
  const leafKeyPath = path.join(dir, "leaf.key");
  const [certPem, leafKeyPem] = await Promise.all([fs.readFile(certPath, "utf8"), fs.readFile(leafKeyPath, "utf8")]);
  const bundlePath = path.join(dir, "sandbox-ca-bundle.pem");
  await writeAtomic(bundlePath, (await systemRoots()) + certPem, 0o644);

  const leafDays = options.leafDays ?? 30;
  const maxCached = options.maxCachedHosts ?? 1000;
  const cache = new Map<string, Promise<tls.SecureContext>>();

  return {
    certPem,
    certPath,
    bundlePath,
    secureContextFor(host: string): Promise<tls.SecureContext> {
      const cached = cache.get(host);
      if (cached) {
        cache.delete(host); // most recently used goes last
        cache.set(host, cached);
        return cached;
      }
      const created = issueLeaf(openssl, { host, caCertPath: certPath, caKeyPath, leafKeyPath, days: leafDays }).then((leafPem) =>
        tls.createSecureContext({ key: leafKeyPem, cert: leafPem + certPem }),
      );
      created.catch(() => cache.delete(host));
      cache.set(host, created);
      while (cache.size > maxCached) cache.delete(cache.keys().next().value!);
      return created;
    },
  };
}

/** Creates the CA in a temporary directory beside `dir`, then renames it into place, so a concurrent creator loses cleanly. */
async function createCaDir(openssl: string, dir: string): Promise<void> {
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await fs.mkdir(tmp, { mode: 0o700 });
  try {
    const caKey = path.join(tmp, "ca.key");
    await run(openssl, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKey]);
    await fs.chmod(caKey, 0o600);
    await run(openssl, [
      "req", "-x509", "-new", "-key", caKey, "-sha256", "-days", "3650", "-subj", CA_SUBJECT,
      "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign",
      "-out", path.join(tmp, "ca.crt"),
    ]);
    const leafKey = path.join(tmp, "leaf.key");
    await run(openssl, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", leafKey]);
    await fs.chmod(leafKey, 0o600);
    // The directory must be traversable by the sandbox user so the bundle in it can be bound into
    // a sandbox; the keys stay 0600.
    await fs.chmod(tmp, 0o711);
    try {
      await fs.rename(tmp, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
      // Another process created it first: use theirs.
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function issueLeaf(
  openssl: string,
  o: { host: string; caCertPath: string; caKeyPath: string; leafKeyPath: string; days: number },
): Promise<string> {
  const family = isIP(o.host);
  if (family === 0 && !/^[a-z0-9.-]+$/.test(o.host)) throw new Error("not a host name a certificate can be issued for");
  const san = family === 0 ? `DNS:${o.host}` : `IP:${o.host}`;
  const serial = `0x${randomBytes(16).toString("hex").replace(/^[89a-f]/, "1")}`;
  return run(openssl, [
    "req", "-x509", "-new", "-key", o.leafKeyPath, "-CA", o.caCertPath, "-CAkey", o.caKeyPath,
    "-sha256", "-days", String(o.days), "-set_serial", serial,
    "-subj", "/O=Open Managed Agents egress",
    "-addext", `subjectAltName=${san}`,
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", "keyUsage=critical,digitalSignature",
    "-addext", "extendedKeyUsage=serverAuth",
  ]);
}

async function systemRoots(): Promise<string> {
  for (const file of SYSTEM_BUNDLES) {
    try {
      const text = await fs.readFile(file, "utf8");
      return text.endsWith("\n") ? text : `${text}\n`;
    } catch {
      // try the next one
    }
  }
  return tls.rootCertificates.join("\n") + "\n";
}

async function findOpenssl(): Promise<string> {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/bin", "/usr/local/bin", "/bin"];
  for (const dir of dirs) {
    if (!dir.startsWith("/")) continue;
    const candidate = path.join(dir, "openssl");
    if (await exists(candidate, constants.X_OK)) return candidate;
  }
  throw new Error("the openssl command is not installed (Debian package openssl): run scripts/install-system-deps.sh");
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // Cast: the project's ambient types make NODE_ENV a required key; a minimal env is intended.
    const env = { PATH: "/usr/bin:/bin", OPENSSL_CONF: os.devNull } as unknown as NodeJS.ProcessEnv;
    execFile(file, args, { env, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`openssl ${args[0]} failed: ${String(stderr).trim().slice(0, 500) || error.message}`));
      else resolve(stdout);
    });
  });
}

async function exists(file: string, mode: number = constants.F_OK): Promise<boolean> {
  try {
    await fs.access(file, mode);
    return true;
  } catch {
    return false;
  }
}

async function writeAtomic(file: string, content: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await fs.writeFile(tmp, content, { mode });
  await fs.chmod(tmp, mode);
  await fs.rename(tmp, file);
}
