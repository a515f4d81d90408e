// @vitest-environment happy-dom
import { act } from "react";
import { createRoot } from "react-dom/client";
import { describe, expect, it } from "vitest";
import { render } from "./render.test-helper.js";
import { useProgressiveCount } from "./use-progressive-count.js";

/** Records every count it renders with, in order (repeats left out). */
function Counts({ total, seen }: { total: number; seen: number[] }) {
  const count = useProgressiveCount(total, 50);
  if (seen.at(-1) !== count) seen.push(count);
  return <p>{count}</p>;
}

/** Lets the hook's timers fire, and React render after each, a few times over. */
async function settle() {
  for (let i = 0; i < 8; i += 1) await act(() => new Promise((resolve) => setTimeout(resolve, 5)));
}

describe("useProgressiveCount", () => {
  it("renders `step` items first, then `step` more per task until all are shown", async () => {
    const seen: number[] = [];
    const { unmount } = render(<Counts total={120} seen={seen} />);
    expect(seen).toEqual([50]);
    await settle();
    expect(seen).toEqual([50, 100, 120]);
    unmount();
  });

  it("shows a short list whole, keeps what it showed when the list changes, and reveals what is added", async () => {
    const seen: number[] = [];
    const host = document.createElement("div");
    document.body.append(host);
    const root = createRoot(host);
    try {
      act(() => root.render(<Counts total={30} seen={seen} />));
      await settle();
      expect(seen).toEqual([30]);
      act(() => root.render(<Counts total={120} seen={seen} />));
      await settle();
      expect(seen).toEqual([30, 50, 100, 120]);
      // A refresh with the same rows draws them all at once, not 50 again.
      act(() => root.render(<Counts total={120} seen={seen} />));
      expect(seen.at(-1)).toBe(120);
      act(() => root.render(<Counts total={220} seen={seen} />));
      await settle();
      expect(seen).toEqual([30, 50, 100, 120, 150, 200, 220]);
    } finally {
      act(() => root.unmount());
      host.remove();
    }
  });
});
