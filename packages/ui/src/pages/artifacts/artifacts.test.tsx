// @vitest-environment happy-dom
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../App.js";
import { click, openOn, request, until, withText } from "../../lib/page-test.test-helper.js";
import { render } from "../../lib/render.test-helper.js";
import { startUiTestServer, type UiTestServer } from "../../lib/test-server.test-helper.js";

describe("the artifact pages against a real server", () => {
  let server: UiTestServer;
  beforeAll(async () => {
    server = await startUiTestServer();
    openOn(server, "/");
  });
  afterAll(() => server?.close());

  it("lists the latest artifact of each key; a key's page renders the latest and links each version to its run", async () => {
    // First in key order ('0' sorts before letters), so it is on the first page.
    const key = `0-ui-${randomUUID().slice(0, 8)}`;
    const runs: { id: string }[] = [];
    for (const [i, markdown] of ["# first report", "# second report"].entries()) {
      const run = await request<{ id: string }>(server, "POST", "/api/flow-runs", {
        flowName: "ui-artifacts",
        name: `report-run-${i}`,
      });
      runs.push(run);
      await request(server, "POST", "/api/artifacts", {
        flowRunId: run.id,
        key,
        type: "markdown",
        description: `version ${i + 1}`,
        data: { markdown },
      });
    }
    window.history.pushState(null, "", "/artifacts");
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const row = await until(() => withText(container, "[data-testid=artifact-key-row]", key));
      expect(row.textContent).toContain("version 2");
      await click(withText(row, "a", key));
      const latest = await until(() => container.querySelector("[data-testid=artifact]"));
      expect(latest.textContent).toContain("second report");
      expect(latest.textContent).not.toContain("first report");
      const versions = await until(() => {
        const found = container.querySelectorAll("[data-testid=artifact-version]");
        return found.length === 2 ? [...found] : undefined;
      });
      expect(versions.map((v) => v.textContent)).toEqual([
        expect.stringContaining("version 2"),
        expect.stringContaining("version 1"),
      ]);
      const link = versions[1]!.querySelector("a")!;
      expect(link.getAttribute("href")).toBe(`/runs/${runs[0]!.id}`);
      expect(link.textContent).toBe("ui-artifacts / report-run-0");
    } finally {
      unmount();
    }
  });
});
