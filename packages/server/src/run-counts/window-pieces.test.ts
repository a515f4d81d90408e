import { describe, expect, it } from "vitest";
import { HOUR_MS, hourToBucket, splitWindow } from "./window-pieces.js";

const day = Date.UTC(2026, 10, 20);

describe("cutting a window into whole hours and the rest", () => {
  it("reads a window whose buckets fall on hours from whole hours only", () => {
    const pieces = splitWindow(day, day + 7 * 24 * HOUR_MS, 28);
    expect(pieces.exact).toEqual([]);
    expect(pieces.hours).toHaveLength(28);
    expect(pieces.hours[1]).toEqual({ bucket: 1, from: day + 6 * HOUR_MS, to: day + 12 * HOUR_MS });
  });

  it("counts the partial hours at a window's ends row by row", () => {
    const since = day + 20 * 60_000;
    const until = day + 5 * HOUR_MS + 7 * 60_000;
    const pieces = splitWindow(since, until, 1);
    expect(pieces.hours).toEqual([{ bucket: 0, from: day + HOUR_MS, to: day + 5 * HOUR_MS }]);
    expect(pieces.exact).toEqual([
      { bucket: 0, from: since, to: day + HOUR_MS },
      { bucket: 0, from: day + 5 * HOUR_MS, to: until },
    ]);
  });

  it("counts buckets shorter than an hour, and the hours they share, row by row", () => {
    const pieces = splitWindow(day, day + HOUR_MS, 12);
    expect(pieces.hours).toEqual([]);
    expect(pieces.exact).toHaveLength(12);
    expect(pieces.exact[11]).toEqual({ bucket: 11, from: day + 55 * 60_000, to: day + HOUR_MS });
  });

  it("covers every instant of the window exactly once", () => {
    const since = day + 1234567;
    const until = since + 3 * 24 * HOUR_MS + 98765;
    const pieces = splitWindow(since, until, 7);
    const ranges = [...pieces.hours, ...pieces.exact].sort((a, b) => a.from - b.from);
    expect(ranges[0]!.from).toBe(since);
    expect(ranges.at(-1)!.to).toBe(until);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
  });

  it("places each whole hour in its bucket and no other hour anywhere", () => {
    const pieces = splitWindow(day + 30 * 60_000, day + 4 * HOUR_MS + 30 * 60_000, 2);
    const bucketOf = hourToBucket(pieces.hours);
    expect([0, 1, 2, 3, 4].map((h) => bucketOf(day + h * HOUR_MS))).toEqual([
      undefined,
      0,
      undefined,
      1,
      undefined,
    ]);
  });
});
