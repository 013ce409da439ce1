import { z } from "zod";
import { ZMetadataPatchSchema, ZMetadataSchema } from "@/lib/resource/metadata";
import { PACKAGE_MANAGERS } from "@/lib/sandbox/environment-config";
import { SANDBOX_PROVIDERS, type TSandboxProviderName } from "@/lib/sandbox/provider-choice";

/**
 * Request schemas of the environment endpoints (reference §2.2). Package names and hosts are
 * checked against a conservative character set (no spaces, quotes or shell metacharacters, no
 * leading dash), since a sandbox provider hands them to package managers.
 */
const ZPackageName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9@_.+:/=<>~^*!,[\]-]+$/, "not a package name: letters, digits and @ _ . + : / = < > ~ ^ * ! , [ ] - only")
  .refine((name) => !name.startsWith("-"), "a package name cannot start with a dash");
const ZPackageList = z.array(ZPackageName).max(256, "at most 256 packages per manager").nullish();

export { PACKAGE_MANAGERS };

export const ZPackagesParamsSchema = z.strictObject({
  type: z.literal("packages").optional(),
  apt: ZPackageList,
  cargo: ZPackageList,
  gem: ZPackageList,
  go: ZPackageList,
  npm: ZPackageList,
  pip: ZPackageList,
});

const ZHost = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9*.:[\]-]+$/, "not a host name");

export const ZNetworkingParamsSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("unrestricted") }),
    z.strictObject({
      type: z.literal("limited"),
      allowed_hosts: z.array(ZHost).max(256, "at most 256 hosts").nullish(),
      allow_mcp_servers: z.boolean().nullish(),
      allow_package_managers: z.boolean().nullish(),
    }),
  ],
  { error: "type must be unrestricted or limited" },
);

/**
 * Platform extension (not in the Managed Agents API): which sandbox provider runs a cloud
 * environment's sessions. Absent or null means `local`. The list is the sandbox layer's.
 */
export { SANDBOX_PROVIDERS, type TSandboxProviderName };
export const ZSandboxProviderSchema = z.enum(SANDBOX_PROVIDERS, { error: 'must be "local" or "vercel"' });

export const ZConfigParamsSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("cloud"),
      networking: ZNetworkingParamsSchema.nullish(),
      packages: ZPackagesParamsSchema.nullish(),
      sandbox_provider: ZSandboxProviderSchema.nullish(),
    }),
    z.strictObject({ type: z.literal("self_hosted") }),
  ],
  { error: "type must be cloud or self_hosted" },
);

const notBlank = (s: string) => s.trim().length > 0;
const ZName = z.string().max(256, "at most 256 characters").refine(notBlank, "must not be empty");
const ZDescription = z.string().max(2048, "at most 2048 characters");
const ZScope = z.enum(["organization", "account"]);

export const ZEnvironmentCreateSchema = z.strictObject({
  name: ZName,
  config: ZConfigParamsSchema.nullish(),
  description: ZDescription.nullish(),
  metadata: ZMetadataSchema.optional(),
  scope: ZScope.nullish(),
});

/** Omitted = keep; null name or config = keep; null/"" description clears; null scope clears. */
export const ZEnvironmentUpdateSchema = z.strictObject({
  name: ZName.nullish(),
  config: ZConfigParamsSchema.nullish(),
  description: ZDescription.nullish(),
  metadata: ZMetadataPatchSchema.nullish(),
  scope: ZScope.nullish(),
});

export type TConfigParams = z.infer<typeof ZConfigParamsSchema>;
export type TNetworkingParams = z.infer<typeof ZNetworkingParamsSchema>;
export type TPackagesParams = z.infer<typeof ZPackagesParamsSchema>;
