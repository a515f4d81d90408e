import { SluiceApiError } from "@sluice/client";
import type { Variable } from "@sluice/contracts";
import { withClient } from "../api-connection/with-client.js";

/**
 * Named JSON values kept on the server (`sluice variable set region us-east-1`), read by flows at
 * run time: `const region = await variables.get("region", "us-east-1")`.
 */
export const variables = {
  /** The variable's value, or `defaultValue` (default undefined) when there is no such variable. */
  async get<T = unknown>(name: string, defaultValue?: T): Promise<T | undefined> {
    return withClient(async (client) => {
      try {
        return (await client.call("readVariable", { params: { name } })).value as T;
      } catch (error) {
        if (error instanceof SluiceApiError && error.code === "variable_not_found") return defaultValue;
        throw error;
      }
    });
  },
  /** Sets the variable (creating it when missing); `tags`, when given, replace its tags. */
  async set(name: string, value: unknown, options: { tags?: string[] } = {}): Promise<Variable> {
    return withClient((client) =>
      client.call("setVariable", {
        params: { name },
        body: { value, ...(options.tags ? { tags: options.tags } : {}) },
      }),
    );
  },
  /** Deletes the variable; answers false when there was none. */
  async unset(name: string): Promise<boolean> {
    return withClient(async (client) => {
      try {
        await client.call("deleteVariable", { params: { name } });
        return true;
      } catch (error) {
        if (error instanceof SluiceApiError && error.code === "variable_not_found") return false;
        throw error;
      }
    });
  },
};
