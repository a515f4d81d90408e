import { z } from "zod";

/** The API version; bumped when a route changes incompatibly. */
export const API_VERSION = "0.1.0";

export const HealthResponse = z.object({ status: z.literal("ok") });
export const ReadyResponse = z.object({ status: z.enum(["ready", "unavailable"]), database: z.string() });
export const VersionResponse = z.object({
  version: z.string(),
  apiVersion: z.string(),
  database: z.enum(["pglite", "postgres"]),
});
export type VersionResponse = z.infer<typeof VersionResponse>;
