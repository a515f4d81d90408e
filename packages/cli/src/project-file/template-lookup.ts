import { SluiceApiError, type SluiceClient } from "@sluice/client";
import type { TemplateLookup } from "./load-project-file.js";

/** Answers undefined for the API's "not found" of `code`, rethrowing anything else. */
async function unlessMissing<T>(code: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SluiceApiError && error.code === code) return undefined;
    throw error;
  }
}

/** Reads the variables and blocks that sluice.yaml templates name, from the server (secrets masked). */
export function templateLookup(api: SluiceClient): TemplateLookup {
  return {
    variable: (name) =>
      unlessMissing("variable_not_found", async () => ({
        value: (await api.call("readVariable", { params: { name } })).value,
      })),
    block: (type, name) =>
      unlessMissing("block_not_found", () => api.call("readBlock", { params: { type, name } })),
  };
}
