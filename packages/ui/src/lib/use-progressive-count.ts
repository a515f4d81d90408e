import { useEffect, useState } from "react";

/**
 * How many of `total` items to render: `step` at first, then `step` more in each later task until
 * all are, so a long list's first render is spread over several frames. A run page's 200 task-run
 * rows rendered at once made its longest frame: 120 to 280 ms of render, style, layout and paint on
 * a loaded 2-core machine, against about 100 ms when revealed 50 at a time (docs/benchmarks.md,
 * ui-graph). The count never shrinks, so a refresh of a list already shown redraws it whole.
 */
export function useProgressiveCount(total: number, step: number): number {
  const [shown, setShown] = useState(step);
  useEffect(() => {
    if (shown >= total) return;
    // A timer, not a microtask: the browser renders the rows shown so far before the next ones.
    const timer = setTimeout(() => setShown((n) => n + step), 0);
    return () => clearTimeout(timer);
  }, [shown, total, step]);
  return Math.min(shown, total);
}
