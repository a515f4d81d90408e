import type { Log, LogFilter } from "@sluice/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, isUnauthorized, useServices } from "../../lib/app-context.js";
import { useUnauthorized } from "../../lib/auth-context.js";
import { concernsFlowRun, RESYNC } from "../../lib/server-events.js";

/** Lines per request. */
export const LOG_PAGE = 500;
/** How far before the last line shown a tail looks again, in ms: lines from two writers (the flow
 * run's logger and the worker's output capture) may be stored slightly out of timestamp order. */
const TAIL_OVERLAP_MS = 5000;
/** Pages one tail follows at most before leaving the rest to "load more". */
const TAIL_MAX_PAGES = 10;
/** At most one tail request per second, however many log batches arrive. */
const TAIL_INTERVAL_MS = 1000;

/** Why the lines changed: the list's scroll behaviour differs (only a tail follows the bottom). */
export type LinesChange = "reset" | "more" | "tail";

export interface LogTailState {
  readonly lines: readonly Log[];
  readonly change: LinesChange;
  /** Lines after the loaded ones exist: "load more" fetches them, the live tail waits for them. */
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly error: string | undefined;
}

export interface LogQuery {
  /** The flow run whose logs-written events trigger a tail (also the filter unless `taskRunId` is set). */
  readonly flowRunId: string;
  readonly taskRunId?: string | undefined;
  readonly levelMin: number;
}

const byTime = (a: Log, b: Log) => a.timestamp.localeCompare(b.timestamp) || a.id.localeCompare(b.id);

/**
 * A flow run's (or task run's) logs, oldest first: the first page, "load more" for the next ones,
 * and a live tail that, on logs-written events for the flow run, fetches only lines at or after the
 * last one shown (less a small overlap, deduplicated by id) and appends them.
 */
export function useLogTail(query: LogQuery): LogTailState & { loadMore: () => void } {
  const { client, events } = useServices();
  const onUnauthorized = useUnauthorized();
  const { flowRunId, taskRunId, levelMin } = query;
  const [state, setState] = useState<LogTailState>({
    lines: [],
    change: "reset",
    hasMore: false,
    loading: true,
    error: undefined,
  });
  // The live values the async steps read: the state may move on while a request is out.
  const live = useRef({ lines: [] as Log[], seen: new Set<string>(), cursor: null as string | null });
  const busy = useRef(false);
  const generation = useRef(0);

  const filter = useCallback(
    (extra: Partial<LogFilter>): LogFilter => ({
      ...(taskRunId ? { taskRunId } : { flowRunId }),
      ...(levelMin > 0 ? { levelMin } : {}),
      limit: LOG_PAGE,
      sort: "TIMESTAMP_ASC",
      ...extra,
    }),
    [flowRunId, taskRunId, levelMin],
  );

  const fail = useCallback(
    (error: unknown) => {
      if (isUnauthorized(error)) onUnauthorized();
      setState((s) => ({ ...s, loading: false, error: errorMessage(error) }));
    },
    [onUnauthorized],
  );

  /** Runs `step` unless another request is out; drops its answer if the query changed meanwhile. */
  const exclusive = useCallback(
    async (step: (isCurrent: () => boolean) => Promise<void>) => {
      if (busy.current) return false;
      busy.current = true;
      const mine = generation.current;
      try {
        await step(() => mine === generation.current);
      } catch (error) {
        if (mine === generation.current) fail(error);
      } finally {
        busy.current = false;
      }
      return true;
    },
    [fail],
  );

  useEffect(() => {
    generation.current += 1;
    busy.current = false;
    live.current = { lines: [], seen: new Set(), cursor: null };
    setState({ lines: [], change: "reset", hasMore: false, loading: true, error: undefined });
    void exclusive(async (isCurrent) => {
      const page = await client.filterLogs(filter({}));
      if (!isCurrent()) return;
      live.current = {
        lines: page.items,
        seen: new Set(page.items.map((l) => l.id)),
        cursor: page.nextCursor,
      };
      setState({
        lines: page.items,
        change: "reset",
        hasMore: page.nextCursor !== null,
        loading: false,
        error: undefined,
      });
    });
  }, [client, filter, exclusive]);

  const loadMore = useCallback(() => {
    const cursor = live.current.cursor;
    if (!cursor) return;
    void exclusive(async (isCurrent) => {
      const page = await client.filterLogs(filter({ cursor }));
      if (!isCurrent()) return;
      const fresh = page.items.filter((l) => !live.current.seen.has(l.id));
      for (const l of fresh) live.current.seen.add(l.id);
      live.current.lines = [...live.current.lines, ...fresh];
      live.current.cursor = page.nextCursor;
      setState({
        lines: live.current.lines,
        change: "more",
        hasMore: page.nextCursor !== null,
        loading: false,
        error: undefined,
      });
    });
  }, [client, filter, exclusive]);

  const tail = useCallback(
    () =>
      exclusive(async (isCurrent) => {
        // While older pages are unread, new lines come with "load more": a tail would leave a gap.
        if (live.current.cursor) return;
        const last = live.current.lines[live.current.lines.length - 1];
        const after = last ? new Date(Date.parse(last.timestamp) - TAIL_OVERLAP_MS).toISOString() : undefined;
        const fresh: Log[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < TAIL_MAX_PAGES; pages += 1) {
          const page = await client.filterLogs(
            filter({ ...(after ? { after } : {}), ...(cursor ? { cursor } : {}) }),
          );
          if (!isCurrent()) return;
          for (const l of page.items) if (!live.current.seen.has(l.id)) fresh.push(l);
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
          if (pages === TAIL_MAX_PAGES - 1) live.current.cursor = cursor;
        }
        if (fresh.length === 0 && !live.current.cursor) return;
        for (const l of fresh) live.current.seen.add(l.id);
        const merged = [...live.current.lines, ...fresh];
        // A late line older than the last one shown goes to its place, not to the end.
        if (last && fresh.some((l) => byTime(l, last) < 0)) merged.sort(byTime);
        live.current.lines = merged;
        setState({
          lines: merged,
          change: "tail",
          hasMore: live.current.cursor !== null,
          loading: false,
          error: undefined,
        });
      }),
    [client, filter, exclusive],
  );

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        // Busy (a page is loading): try again a little later rather than lose the event.
        void tail().then((ran) => (ran ? undefined : schedule()));
      }, TAIL_INTERVAL_MS);
    };
    const unsubscribe = events.subscribe((event) => {
      if (event.kind === RESYNC || concernsFlowRun(event, flowRunId, ["logs-written"])) schedule();
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [events, flowRunId, tail]);

  return { ...state, loadMore };
}
