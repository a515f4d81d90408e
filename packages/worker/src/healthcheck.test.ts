import { describe, expect, it } from "vitest";
import { startHealthcheck } from "./healthcheck.js";

describe("startHealthcheck", () => {
  it("answers GET /health with 200 while healthy and 503 otherwise", async () => {
    let healthy = true;
    const check = await startHealthcheck({ port: 0, host: "127.0.0.1", isHealthy: () => healthy });
    try {
      const ok = await fetch(check.url);
      expect([ok.status, await ok.json()]).toEqual([200, { status: "ok" }]);
      healthy = false;
      const bad = await fetch(check.url);
      expect([bad.status, await bad.json()]).toEqual([503, { status: "unhealthy" }]);
      expect((await fetch(check.url.replace("/health", "/other"))).status).toBe(404);
    } finally {
      await check.close();
    }
  });
});
