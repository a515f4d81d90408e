import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, isUnauthorized, useServices } from "./app-context.js";
import { useUnauthorized } from "./auth-context.js";
import { RESYNC, type UiServerEvent } from "./server-events.js";

/** How often, at most, live events reload a view's data, in ms (default 500). */
export interface DataOptions {
  readonly refreshDelayMs?: number;
}

export interface DataState<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Loads data for a view and loads it again when `deps` change, when a live event passes
 * `refreshOn`, and after the stream reconnects (events may have been missed). Refreshes caused by
 * events are coalesced (at most one per `refreshDelayMs`, default 500 ms), and none starts while a load
 * is in flight (it follows when that one ends), so a burst of changes costs one request and a slow
 * answer is never abandoned for a newer one forever.
 */
export function useData<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  refreshOn?: (event: UiServerEvent) => boolean,
  options: DataOptions = {},
): DataState<T> {
  const refreshDelayMs = options.refreshDelayMs ?? 500;
  const { events } = useServices();
  const onUnauthorized = useUnauthorized();
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const refreshRef = useRef(refreshOn);
  refreshRef.current = refreshOn;
  /** A load is running; an event-driven refresh waits for it (`refreshPending`). */
  const inFlight = useRef(false);
  const refreshPending = useRef(false);

  useEffect(() => {
    let current = true;
    inFlight.current = true;
    const settle = () => {
      inFlight.current = false;
      if (refreshPending.current) {
        refreshPending.current = false;
        setVersion((v) => v + 1);
      }
    };
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => {
        if (!current) return;
        setState({ data, error: undefined, loading: false });
        settle();
      },
      (error: unknown) => {
        if (!current) return;
        if (isUnauthorized(error)) onUnauthorized();
        setState((s) => ({ data: s.data, error: errorMessage(error), loading: false }));
        settle();
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, version, onUnauthorized]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = events.subscribe((event) => {
      const refreshOn = refreshRef.current;
      if (!refreshOn || timer || (event.kind !== RESYNC && !refreshOn(event))) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (inFlight.current) refreshPending.current = true;
        else setVersion((v) => v + 1);
      }, refreshDelayMs);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [events, refreshDelayMs]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}
