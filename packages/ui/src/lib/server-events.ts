import { SseParser } from "./sse.js";

/** What the server announces on /api/events (the server's ServerEvent kinds). */
export interface UiServerEvent {
  readonly kind: string;
  readonly flowRunId?: string;
  /** For logs-written and task-runs-changed: the flow runs concerned. */
  readonly flowRunIds?: readonly string[];
  readonly stateType?: string;
  readonly workPoolName?: string | null;
  /** On flow-run-state: the run's deployment (null for a run without one). */
  readonly deploymentId?: string | null;
}

/** The kind of the event the stream delivers after reconnecting: every view reloads its data. */
export const RESYNC = "resync";

/** Whether the event says something changed in this flow run (its state, task runs or logs). */
export function concernsFlowRun(event: UiServerEvent, flowRunId: string, kinds: readonly string[]): boolean {
  if (!kinds.includes(event.kind)) return false;
  return event.flowRunId === flowRunId || (event.flowRunIds?.includes(flowRunId) ?? false);
}

export type ServerEventListener = (event: UiServerEvent) => void;

/** Retry delays after the stream drops, in ms (the last one repeats). */
const RECONNECT_DELAYS_MS = [1000, 2000, 5000, 10_000];

/**
 * The app's one live stream: GET /api/events read through fetch, so the API key travels in the
 * Authorization header like every other request (EventSource cannot send headers, and a key in the
 * URL would end up in access logs). Reconnects with backoff; listeners are shared by every page.
 */
export class ServerEventStream {
  private readonly listeners = new Set<ServerEventListener>();
  private controller: AbortController | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: () => string | undefined,
    /** Called when the server refuses the key; the stream then stops until started again. */
    private readonly onUnauthorized: () => void = () => undefined,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  subscribe(listener: ServerEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    void this.connect(this.controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    clearTimeout(this.timer);
  }

  private async connect(signal: AbortSignal): Promise<void> {
    const key = this.apiKey();
    try {
      const response = await this.fetchImpl(`${this.baseUrl}/api/events`, {
        headers: { accept: "text/event-stream", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        signal,
      });
      if (response.status === 401) {
        this.stop();
        this.onUnauthorized();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`the event stream answered ${response.status}`);
      this.attempt = 0;
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) this.dispatch(message.event, message.data);
      }
    } catch (error) {
      if (signal.aborted) return;
      console.warn("sluice: the live event stream dropped; reconnecting", error);
    }
    if (signal.aborted) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)];
    this.attempt += 1;
    this.timer = setTimeout(() => void this.connect(signal), delay);
  }

  private dispatch(event: string, data: string): void {
    if (event === "ready") {
      // Events may have been missed before this stream was subscribed (a view's first load can be
      // answered before the stream connects) or while it was disconnected: the views listening now
      // reload on "resync". Views that start listening later load after the stream is up.
      for (const listener of this.listeners) listener({ kind: RESYNC });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      console.warn("sluice: ignoring an event that is not JSON", { event });
      return;
    }
    if (typeof parsed !== "object" || parsed === null) return;
    for (const listener of this.listeners) listener({ kind: event, ...parsed });
  }
}
