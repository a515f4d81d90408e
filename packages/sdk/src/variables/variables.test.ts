import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flow } from "../flows/flow.js";
import { startSdkTestServer, type SdkTestContext } from "../testing/sdk-test-server.js";
import { variables } from "./variables.js";

let ctx: SdkTestContext;
beforeAll(async () => {
  ctx = await startSdkTestServer();
});
afterAll(() => ctx.close());

describe("variables", () => {
  it("sets, reads (inside and outside a run), falls back to a default, and unsets", async () => {
    const name = `sdk_var_${randomUUID().slice(0, 8)}`;
    expect(await variables.get(name)).toBeUndefined();
    expect(await variables.get(name, 7)).toBe(7);
    await variables.set(name, { limit: 5 }, { tags: ["etl"] });
    expect(await variables.get(name)).toEqual({ limit: 5 });
    const reader = flow({ name: "sdk-variable-reader" }, () => variables.get<{ limit: number }>(name));
    expect(await reader()).toEqual({ limit: 5 });
    expect(await variables.unset(name)).toBe(true);
    expect(await variables.unset(name)).toBe(false);
  });

  it("passes on a refused value with the server's reason", async () => {
    await expect(variables.set("Bad-Name", 1)).rejects.toThrow(/params\.name|lowercase/);
  });
});
