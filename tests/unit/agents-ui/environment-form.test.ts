import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseBody } from "@/lib/resource/metadata";
import { issueFieldErrors } from "@/lib/agents/ui/form-field-errors";
import { resolveConfig } from "@/lib/environments/environment-config";
import { ZEnvironmentCreateSchema, ZNetworkingParamsSchema, ZPackagesParamsSchema } from "@/lib/environments/schemas";
import {
  environmentBody,
  environmentFieldKeyLength,
  environmentFieldOfPath,
  environmentFormData,
  environmentFormValues,
  newEnvironmentFormValues,
  type TEnvironmentFormInput,
  type TEnvironmentFormValues,
} from "@/lib/environments/ui/environment-form";
import { networkSummary, packagesSummary, sandboxLabel } from "@/lib/environments/ui/environment-summary";
import { checkSandboxProvider } from "@/lib/environments/check-sandbox-provider";
import { withFormField } from "@/lib/agents/ui/form-field-errors";
import { linesSchema } from "@/lib/environments/ui/lines-schema";
import { linesOf } from "@/lib/resource/lines";

const LIMITED = ZNetworkingParamsSchema.options[1];

function submitted(values: TEnvironmentFormValues): TEnvironmentFormInput {
  const lists = (text: string) => linesOf(text).map((entry) => entry.value);
  return {
    ...values,
    allowed_hosts: lists(values.allowed_hosts),
    packages: Object.fromEntries(Object.entries(values.packages).map(([manager, text]) => [manager, lists(text)])) as TEnvironmentFormInput["packages"],
  };
}

/** The config the API would store for the form's body. */
const configOf = (values: TEnvironmentFormValues) => resolveConfig(parseBody(ZEnvironmentCreateSchema, environmentBody(submitted(values))).config);

describe("the environment form", () => {
  it("gives back the same config it was loaded from", () => {
    const configs = [
      { type: "cloud", networking: { type: "unrestricted" }, packages: { pip: ["requests==2.32.3"], apt: ["ripgrep", "jq"] } },
      { type: "cloud", networking: { type: "limited", allowed_hosts: ["api.github.com", "*.example.com"], allow_package_managers: true, allow_mcp_servers: true } },
      { type: "self_hosted" },
      { type: "cloud", sandbox_provider: "vercel", networking: { type: "limited", allowed_hosts: ["pypi.org"], allow_package_managers: true } },
    ];
    for (const config of configs) {
      const stored = resolveConfig(parseBody(ZEnvironmentCreateSchema, { name: "e", config }).config);
      expect(configOf(environmentFormValues({ name: "e", description: null, config: stored }))).toEqual(stored);
    }
  });

  it("starts new environments in a cloud sandbox with unrestricted networking and no packages", () => {
    expect(configOf({ ...newEnvironmentFormValues(), name: "e" })).toEqual(resolveConfig(undefined));
  });

  it("reads hosts and packages one per line, ignoring blank lines and spaces around them", () => {
    expect(linesOf(" a.com \r\n\n  b.com\n")).toEqual([
      { line: 1, value: "a.com" },
      { line: 3, value: "b.com" },
    ]);
  });

  it("names a refused host or package by its line", () => {
    const schema = z.object({ allowed_hosts: linesSchema(LIMITED.shape.allowed_hosts), packages: z.object({ pip: linesSchema(ZPackagesParamsSchema.shape.pip) }) });
    const result = schema.safeParse({ allowed_hosts: "ok.example.com\n\nnot a host", packages: { pip: "requests\n-e evil" } });
    expect(issueFieldErrors(result.error!, environmentFieldKeyLength)).toEqual({
      allowed_hosts: "Line 3 (“not a host”): not a host name",
      "packages.pip": "Line 2 (“-e evil”): not a package name: letters, digits and @ _ . + : / = < > ~ ^ * ! , [ ] - only",
    });
    expect(schema.safeParse({ allowed_hosts: "a.com\n b.com ", packages: { pip: "" } }).data).toEqual({ allowed_hosts: ["a.com", "b.com"], packages: { pip: [] } });
  });

  it("reads the submitted form, checkboxes as booleans", () => {
    const form = new FormData();
    form.set("name", "e");
    form.set("type", "cloud");
    form.set("networking", "limited");
    form.set("allow_mcp_servers", "on");
    form.set("packages.npm", "typescript");
    expect(environmentFormData(form)).toMatchObject({ sandbox_provider: "local" });
    form.set("sandbox_provider", "vercel");
    expect(environmentFormData(form)).toMatchObject({
      name: "e",
      type: "cloud",
      sandbox_provider: "vercel",
      networking: "limited",
      allow_package_managers: false,
      allow_mcp_servers: true,
      packages: { npm: "typescript", pip: "" },
    });
  });

  it("says which form field an API error is about", () => {
    expect(environmentFieldOfPath("config.networking.allowed_hosts[1]")).toEqual({ field: "allowed_hosts", inner: "[1]" });
    expect(environmentFieldOfPath("config.packages.pip[0]")).toEqual({ field: "packages.pip", inner: "[0]" });
    expect(environmentFieldOfPath("config.packages")).toEqual({ field: "allow_package_managers", inner: "" });
    expect(environmentFieldOfPath("config.type")).toEqual({ field: "type", inner: "" });
    expect(environmentFieldOfPath("config.sandbox_provider")).toEqual({ field: "sandbox_provider", inner: "" });
    expect(environmentFieldOfPath("metadata.x")).toBeNull();
  });

  it("shows a refused sandbox provider next to its field", () => {
    const form = submitted({ ...newEnvironmentFormValues(), name: "e", sandbox_provider: "vercel" });
    const config = resolveConfig(parseBody(ZEnvironmentCreateSchema, environmentBody(form)).config);
    expect(sandboxLabel(config)).toBe("Cloud · Vercel");
    let refused: unknown;
    try {
      checkSandboxProvider(config, undefined, ["local"]);
    } catch (error) {
      refused = withFormField(error, environmentFieldOfPath);
    }
    expect(refused).toMatchObject({ code: "invalid_request", details: { field: "sandbox_provider" } });
    expect((refused as Error).message).toMatch(/^the vercel sandbox provider is not configured on this server/);
  });

  it("summarises configs for the list", () => {
    const limited = resolveConfig(
      parseBody(ZEnvironmentCreateSchema, {
        name: "e",
        config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["a.com"], allow_package_managers: true }, packages: { npm: ["x", "y"] } },
      }).config,
    );
    expect(networkSummary(limited)).toBe("Limited: 1 host, package managers");
    expect(packagesSummary(limited)).toBe("npm 2");
    expect(networkSummary(resolveConfig(undefined))).toBe("Unrestricted");
    expect(packagesSummary(resolveConfig(undefined))).toBe("None");
  });
});
