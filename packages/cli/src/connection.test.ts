import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { apiUrl, firstUrl, isServerReachable } from "./connection.js";

describe("SLUICE_API_URL", () => {
  it("may list several server replicas separated by commas, each normalised", () => {
    expect(apiUrl({ SLUICE_API_URL: "http://a:4200/api/, http://b:4200/" })).toBe(
      "http://a:4200,http://b:4200",
    );
    expect(apiUrl({ SLUICE_API_URL: "http://a:4200" })).toBe("http://a:4200");
    expect(firstUrl("http://a:4200,http://b:4200")).toBe("http://a:4200");
  });

  it("names the entry that is not an http(s) URL", () => {
    expect(() => apiUrl({ SLUICE_API_URL: "http://a:4200,b:4200" })).toThrow(
      /invalid SLUICE_API_URL .*not "b:4200"/,
    );
  });

  it("counts a list as reachable when any of its servers answers", async () => {
    const server = createServer((_req, res) => res.end("{}"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const up = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await isServerReachable(`http://127.0.0.1:1,${up}`)).toBe(true);
      expect(await isServerReachable("http://127.0.0.1:1,http://127.0.0.1:2")).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
