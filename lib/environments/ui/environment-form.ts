import type { TWireEnvironment } from "@/lib/environments/environment-to-wire";
import { PACKAGE_MANAGERS, type TSandboxProviderName } from "@/lib/environments/schemas";
import type { TFieldTarget } from "@/lib/agents/ui/form-field-errors";

/**
 * The environment form's model: its fields from an environment, the submitted form as plain
 * values, and the body of the environment API built from it. Hosts and packages are edited as text,
 * one per line. Pure: no I/O.
 */
export type TPackageManager = (typeof PACKAGE_MANAGERS)[number];
export { PACKAGE_MANAGERS };

export type TEnvironmentFormValues = {
  name: string;
  description: string;
  type: "cloud" | "self_hosted";
  /** Which sandbox provider runs a cloud environment (a platform extension of the config). */
  sandbox_provider: TSandboxProviderName;
  networking: "unrestricted" | "limited";
  allowed_hosts: string;
  allow_package_managers: boolean;
  allow_mcp_servers: boolean;
  packages: Record<TPackageManager, string>;
};

/** What the action passes on once the form's own checks passed: lists instead of text. */
export type TEnvironmentFormInput = Omit<TEnvironmentFormValues, "allowed_hosts" | "packages"> & {
  allowed_hosts: string[];
  packages: Record<TPackageManager, string[]>;
};

const noPackages = <T>(value: () => T) => Object.fromEntries(PACKAGE_MANAGERS.map((manager) => [manager, value()])) as Record<TPackageManager, T>;

export function newEnvironmentFormValues(): TEnvironmentFormValues {
  return {
    name: "",
    description: "",
    type: "cloud",
    sandbox_provider: "local",
    networking: "unrestricted",
    allowed_hosts: "",
    allow_package_managers: true,
    allow_mcp_servers: false,
    packages: noPackages(() => ""),
  };
}

export function environmentFormValues(env: Pick<TWireEnvironment, "name" | "description" | "config">): TEnvironmentFormValues {
  const base = { ...newEnvironmentFormValues(), name: env.name, description: env.description ?? "" };
  if (env.config.type === "self_hosted") return { ...base, type: "self_hosted" };
  const { networking, packages } = env.config;
  return {
    ...base,
    sandbox_provider: env.config.sandbox_provider ?? "local",
    networking: networking.type,
    allowed_hosts: networking.type === "limited" ? networking.allowed_hosts.join("\n") : "",
    allow_package_managers: networking.type === "limited" ? networking.allow_package_managers : true,
    allow_mcp_servers: networking.type === "limited" ? networking.allow_mcp_servers : false,
    packages: Object.fromEntries(PACKAGE_MANAGERS.map((manager) => [manager, packages[manager].join("\n")])) as Record<TPackageManager, string>,
  };
}

/** The submitted form as plain values, for the action's schema (checkboxes as booleans). */
export function environmentFormData(formData: FormData): Record<string, unknown> {
  const text = (key: string) => {
    const value = formData.get(key);
    // Browsers submit a textarea's line breaks as CRLF; the API's texts use LF.
    return typeof value === "string" ? value.replace(/\r\n?/g, "\n") : "";
  };
  return {
    name: text("name"),
    description: text("description"),
    type: text("type"),
    sandbox_provider: text("sandbox_provider") || "local",
    networking: text("networking") || "unrestricted",
    allowed_hosts: text("allowed_hosts"),
    allow_package_managers: formData.get("allow_package_managers") === "on",
    allow_mcp_servers: formData.get("allow_mcp_servers") === "on",
    packages: Object.fromEntries(PACKAGE_MANAGERS.map((manager) => [manager, text(`packages.${manager}`)])),
  };
}

/** How many segments of a form schema issue's path name the field: `packages.pip` is one field. */
export function environmentFieldKeyLength(path: readonly PropertyKey[]): number {
  return path[0] === "packages" ? 2 : 1;
}

/** The body of `POST /v1/environments` (and of an update: every field the form edits is sent). */
export function environmentBody(form: TEnvironmentFormInput): Record<string, unknown> {
  const config =
    form.type === "self_hosted"
      ? { type: "self_hosted" }
      : {
          type: "cloud",
          networking:
            form.networking === "limited"
              ? { type: "limited", allowed_hosts: form.allowed_hosts, allow_package_managers: form.allow_package_managers, allow_mcp_servers: form.allow_mcp_servers }
              : { type: "unrestricted" },
          packages: { type: "packages", ...form.packages },
          sandbox_provider: form.sandbox_provider,
        };
  return { name: form.name, description: form.description, config };
}

/** The form field an API error path names (`config.packages.pip[0]` → `packages.pip`), or null. */
export function environmentFieldOfPath(path: string): TFieldTarget | null {
  if (/^(name|description)$/.test(path)) return { field: path, inner: "" };
  if (path === "config.type" || path === "config") return { field: "type", inner: "" };
  if (path === "config.sandbox_provider") return { field: "sandbox_provider", inner: "" };
  const hosts = /^config\.networking\.allowed_hosts(.*)$/.exec(path);
  if (hosts) return { field: "allowed_hosts", inner: hosts[1]! };
  if (path.startsWith("config.networking")) return { field: "networking", inner: "" };
  const manager = /^config\.packages\.(apt|cargo|gem|go|npm|pip)(.*)$/.exec(path);
  if (manager) return { field: `packages.${manager[1]}`, inner: manager[2]! };
  // Packages as a whole: refused because limited networking does not allow package managers.
  if (path === "config.packages") return { field: "allow_package_managers", inner: "" };
  return null;
}
