import { useState } from "react";

/**
 * Keyset paging state: the cursors of the pages seen so far, so "Previous" goes back without
 * offsets. `resetKey` (the filters) starts again at the first page when it changes.
 */
export function useCursorPages(resetKey: string) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [seenKey, setSeenKey] = useState(resetKey);
  if (seenKey !== resetKey) {
    setSeenKey(resetKey);
    setCursors([undefined]);
  }
  return {
    /** The cursor of the page shown (undefined: the first page). */
    cursor: cursors[cursors.length - 1],
    /** 1 for the first page. */
    page: cursors.length,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}
