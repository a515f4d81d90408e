import { describe, expect, it } from "vitest";
import { formatDuration, formatState, formatTable, formatTime, visibleWidth } from "./output.js";
import { renderMarkdown } from "./markdown.js";
import { renderArtifactData } from "./commands/artifact.js";

describe("formatTable", () => {
  const columns = [
    { header: "id", value: (r: { id: string; n: number }) => r.id },
    { header: "count", value: (r: { id: string; n: number }) => String(r.n), alignRight: true },
    { header: "note", value: () => "line one\nline two" },
  ];

  it("aligns columns under upper-case headers and flattens newlines", () => {
    const text = formatTable(
      [
        { id: "a", n: 1 },
        { id: "longer", n: 100 },
      ],
      columns,
    );
    expect(text.split("\n")).toEqual([
      "ID      COUNT  NOTE",
      "a           1  line one line two",
      "longer    100  line one line two",
    ]);
  });

  it("pads by visible width, ignoring colour codes", () => {
    const colored = formatState("FAILED", "Failed", true);
    expect(colored).not.toBe("Failed");
    expect(visibleWidth(colored)).toBe(6);
    const text = formatTable(
      [{ s: colored }, { s: "Completed" }],
      [
        { header: "state", value: (r: { s: string }) => r.s },
        { header: "x", value: () => "x" },
      ],
    );
    const [, first, second] = text.split("\n");
    expect(visibleWidth(first!)).toBe(visibleWidth(second!));
  });

  it("cuts long cells with an ellipsis", () => {
    const text = formatTable(
      [{ v: "abcdefghij" }],
      [{ header: "v", value: (r: { v: string }) => r.v, maxWidth: 5 }],
    );
    expect(text.split("\n")[1]).toBe("abcd…");
  });
});

describe("formatters", () => {
  it("formats times, durations and missing states", () => {
    expect(formatTime("2026-01-02T03:04:05.678+00:00")).toBe("2026-01-02 03:04:05");
    expect(formatTime(null)).toBe("-");
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_345)).toBe("12.3s");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatState(null, null, true)).toBe("-");
    expect(formatState("COMPLETED", "Cached", false)).toBe("Cached");
  });
});

describe("artifact rendering", () => {
  it("renders markdown as text", () => {
    const text = renderMarkdown("# Report\n\nRows: **42**, see [docs](http://x).\n\n- one\n- `two`\n");
    expect(text).toBe("Report\n======\n\nRows: 42, see docs (http://x).\n\n• one\n• two");
  });

  it("aligns markdown pipe tables and table artifacts", () => {
    expect(renderMarkdown("| a | bb |\n|---|---|\n| 1 | 2 |")).toBe("a  bb\n-  --\n1  2");
    const table = renderArtifactData({
      type: "table",
      data: { columns: ["name", "rows"], rows: [["users", 1200]] },
    });
    expect(table).toBe("name   rows\n-----  ----\nusers  1200");
    expect(renderArtifactData({ type: "progress", data: { progress: 50 } })).toContain("50%");
    expect(renderArtifactData({ type: "link", data: { url: "http://x", text: "X" } })).toBe("X: http://x");
  });
});
