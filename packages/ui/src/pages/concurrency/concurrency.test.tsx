// @vitest-environment happy-dom
import type { FlowRun } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../App.js";
import { openOn, request, until } from "../../lib/page-test.test-helper.js";
import { render } from "../../lib/render.test-helper.js";
import { startUiTestServer, type UiTestServer } from "../../lib/test-server.test-helper.js";

describe("the concurrency page against a real server", () => {
  let server: UiTestServer;
  beforeAll(async () => {
    server = await startUiTestServer();
    openOn(server, "/");
  });
  afterAll(() => server?.close());

  it("shows a deployment limit's holder and waiter, and follows the slot to the next run live", async () => {
    const pool = `ui-conc-${randomUUID().slice(0, 8)}`;
    await request(server, "POST", "/api/work-pools", { name: pool });
    const flowName = `flow-${pool}`;
    const deployment = await request<{ id: string }>(server, "POST", "/api/deployments", {
      flowName,
      name: "one-at-a-time",
      entrypoint: "flows/x.ts:x",
      workPoolName: pool,
      concurrencyLimit: 1,
    });
    const runs: FlowRun[] = [];
    for (const name of ["holder-run", "waiter-run"]) {
      runs.push(await request(server, "POST", `/api/deployments/${deployment.id}/runs`, { name }));
    }
    await request(server, "POST", `/api/work-pools/${pool}/claim`, { workerName: "w1", limit: 10 });

    window.history.pushState(null, "", "/concurrency");
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const card = () =>
        container.querySelector(`[data-testid=limits-deployment] [data-name="${flowName}/one-at-a-time"]`);
      await until(() => card());
      const names = (which: string) =>
        [...card()!.querySelectorAll(`[data-testid=${which}] [data-testid=slot-run] a`)].map(
          (a) => a.textContent,
        );
      expect(card()!.querySelector("[data-testid=limit-slots]")?.textContent).toMatch(/^1 \/ 1 slots in use/);
      expect(card()!.textContent).toContain("when full: ENQUEUE");
      expect(names("holders")).toEqual(["holder-run"]);
      expect(names("waiters")).toEqual(["waiter-run"]);
      expect(card()!.querySelector("[data-testid=waiters]")?.textContent).toContain(
        "AwaitingConcurrencySlot",
      );
      expect(container.textContent).toContain("the server does not see those slots");

      // The holder ends, a worker claims again: the page follows without a reload.
      await request(server, "POST", `/api/flow-runs/${runs[0]!.id}/set-state`, {
        state: { type: "CANCELLED" },
      });
      await request(server, "POST", `/api/work-pools/${pool}/claim`, { workerName: "w1", limit: 10 });
      await until(() => names("holders").join() === "waiter-run" && names("waiters").length === 0);
    } finally {
      unmount();
    }
  });
});
