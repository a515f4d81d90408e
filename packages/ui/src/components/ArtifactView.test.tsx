// @vitest-environment happy-dom
import type { Artifact } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { render } from "../lib/render.test-helper.js";
import { ArtifactView } from "./ArtifactView.js";

const base: Omit<Artifact, "type" | "data"> = {
  id: "5f0c8a7e-2d1b-4c55-9b8e-0e4c1f1a2b3c",
  key: "report",
  description: null,
  flowRunId: null,
  taskRunId: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

describe("ArtifactView", () => {
  it("renders markdown with tables, links and emphasis, and raw HTML as text only", () => {
    const markdown = [
      "# Report",
      "Rows **loaded**: see [the docs](https://example.com/docs) and [bad](javascript:alert(1)).",
      "",
      "| city | rows |",
      "| --- | ---: |",
      "| Boston | 12 |",
      "| Paris \\| FR | 7 |",
      "",
      "- one",
      "- two",
      "",
      '<img src=x onerror="alert(1)"><script>alert(2)</script>',
    ].join("\n");
    const { container, unmount } = render(
      <ArtifactView artifact={{ ...base, type: "markdown", data: { markdown } }} />,
    );
    expect(container.querySelector("[data-testid=artifact] h3")?.textContent).toBe("Report");
    expect(container.querySelector(".markdown strong")?.textContent).toBe("loaded");
    const links = [...container.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://example.com/docs"]);
    expect(links[0]?.getAttribute("rel")).toBe("noopener noreferrer");
    expect(container.textContent).toContain("bad");
    const cells = [...container.querySelectorAll(".markdown tbody td")].map((td) => td.textContent);
    expect(cells).toEqual(["Boston", "12", "Paris | FR", "7"]);
    expect(container.querySelectorAll("li")).toHaveLength(2);
    expect(container.querySelector("img, script")).toBeNull();
    expect(container.textContent).toContain("<script>alert(2)</script>");
    unmount();
  });

  it("renders a table artifact as a table, a link as a link, progress as a progress bar", () => {
    const table = render(
      <ArtifactView
        artifact={{
          ...base,
          type: "table",
          data: {
            columns: ["a", "b"],
            rows: [
              [1, { x: 2 }],
              ["<b>", null],
            ],
          },
        }}
      />,
    );
    expect([...table.container.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["a", "b"]);
    expect([...table.container.querySelectorAll("td")].map((td) => td.textContent)).toEqual([
      "1",
      '{"x":2}',
      "<b>",
      "",
    ]);
    table.unmount();

    const link = render(
      <ArtifactView
        artifact={{ ...base, type: "link", data: { url: "https://example.com/x", text: "result" } }}
      />,
    );
    expect(link.container.querySelector("a")?.getAttribute("href")).toBe("https://example.com/x");
    expect(link.container.querySelector("a")?.textContent).toBe("result");
    link.unmount();

    const unsafe = render(
      <ArtifactView artifact={{ ...base, type: "link", data: { url: "javascript:alert(1)" } }} />,
    );
    expect(unsafe.container.querySelector("a")).toBeNull();
    unsafe.unmount();

    const progress = render(
      <ArtifactView artifact={{ ...base, type: "progress", data: { progress: 42 } }} />,
    );
    expect(progress.container.querySelector("progress")?.getAttribute("value")).toBe("42");
    expect(progress.container.textContent).toContain("42 %");
    progress.unmount();
  });
});
