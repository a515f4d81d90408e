import type { SluiceClient } from "@sluice/client";
import { unlessMissing } from "../unless-missing.js";
import type { TemplateLookup } from "./load-project-file.js";

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
