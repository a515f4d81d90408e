import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage, isUnauthorized, useServices } from "./app-context.js";
import { useUnauthorized } from "./auth-context.js";
import { RESYNC, type UiServerEvent } from "./server-events.js";

export interface DataState<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** How often, at most, live events reload a view's data, in ms (default 500). */
export interface DataOptions {
  readonly refreshDelayMs?: number;
}

/**
 * Loads data for a view and loads it again when `deps` change, when a live event passes
 * `refreshOn`, and after the stream reconnects (events may have been missed). Refreshes caused by
 * events are coalesced (at most one per `refreshDelayMs`, default 500 ms), so a burst of state
 * changes costs one request.
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

  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!current) return;
        if (isUnauthorized(error)) onUnauthorized();
        setState((s) => ({ data: s.data, error: errorMessage(error), loading: false }));
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
        setVersion((v) => v + 1);
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
