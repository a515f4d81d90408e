import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SluiceApiError, SluiceConnectionError, SluiceResponseError } from "./errors.js";
import { createClient } from "./sluice-client.js";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const id = "0b7f5a4e-6a1b-4c55-9d2a-6f0e5f0a1c11";
const fast = { retryBaseDelayMs: 1, retryMaxDelayMs: 5 };

describe("createClient", () => {
  it("substitutes path params, sends JSON bodies and auth, and parses responses", async () => {
    const seen: { method?: string; url?: string; body?: string; auth?: string }[] = [];
    const baseUrl = await serve((req, body, res) => {
      seen.push({ method: req.method, url: req.url, body, auth: req.headers.authorization });
      if (req.url === "/api/health") return json(res, 200, { status: "ok" });
      json(res, 200, { accepted: 2 });
    });
    const client = createClient({ baseUrl: `${baseUrl}/api/`, apiKey: "k1" });
    expect(await client.isHealthy()).toBe(true);
    const logs = [{ name: "x", level: 20, message: "m", timestamp: new Date().toISOString() }];
    expect(await client.createLogs({ logs })).toEqual({ accepted: 2 });
    expect(seen[1]).toMatchObject({ method: "POST", url: "/api/logs", auth: "Bearer k1" });
    expect(JSON.parse(seen[1]!.body!)).toEqual({ logs });
  });

  it("turns error bodies into SluiceApiError with code and details, and never retries 4xx", async () => {
    let hits = 0;
    const baseUrl = await serve((_req, _body, res) => {
      hits++;
      json(res, 404, { code: "flow_run_not_found", message: "no such run", details: { id } });
    });
    const client = createClient({ baseUrl, ...fast });
    const error = await client.readFlowRun(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceApiError);
    expect(error).toMatchObject({ status: 404, code: "flow_run_not_found", details: { id } });
    expect(hits).toBe(1);
  });

  it("retries 429, 502, 503 and 504, then succeeds", async () => {
    const statuses = [429, 502, 503, 504];
    let hits = 0;
    const baseUrl = await serve((_req, _body, res) => {
      const status = statuses[hits++];
      if (status)
        return json(res, status, { code: "internal_error", message: "busy" }, { "retry-after": "0" });
      json(res, 200, { status: "ok" });
    });
    const client = createClient({ baseUrl, ...fast });
    expect(await client.call("health")).toEqual({ status: "ok" });
    expect(hits).toBe(5);
  });

  it("gives up after `retries` and surfaces the last error", async () => {
    let hits = 0;
    const baseUrl = await serve((_req, _body, res) => {
      hits++;
      json(res, 503, { code: "database_unavailable", message: "db down" });
    });
    const error = await createClient({ baseUrl, retries: 2, ...fast })
      .call("health")
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: "database_unavailable" });
    expect(hits).toBe(3);
  });

  it("retries connection errors until the server comes up", async () => {
    // Reserve a port, close it, and start the server there after the first refused attempt.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    let attempts = 0;
    const fetchCounting: typeof fetch = async (input, init) => {
      attempts++;
      if (attempts === 2) {
        const server = createServer((_req, res) => json(res, 200, { status: "ok" }));
        servers.push(server);
        await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      }
      return fetch(input, init);
    };
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, fetch: fetchCounting, ...fast });
    expect(await client.call("health")).toEqual({ status: "ok" });
    expect(attempts).toBe(2);
  });

  it("given several URLs, moves to the next when a connection fails and stays there", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const down = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((r) => probe.close(r));
    const up = await serve((_req, _body, res) => json(res, 200, { status: "ok" }));
    const sent: string[] = [];
    const recording: typeof fetch = (input, init) => {
      sent.push(input instanceof Request ? input.url : input.toString());
      return fetch(input, init);
    };
    const client = createClient({ baseUrl: ` ${down}/api/ , ${up}`, fetch: recording, ...fast });
    expect(client.baseUrl).toBe(`${down},${up}`);
    expect(await client.call("health")).toEqual({ status: "ok" });
    expect(await client.call("health")).toEqual({ status: "ok" });
    expect(sent).toEqual([`${down}/api/health`, `${up}/api/health`, `${up}/api/health`]);
  });

  it("given several URLs, stays on one that answers with an HTTP error and retries it", async () => {
    let hits = 0;
    const busy = await serve((_req, _body, res) => {
      hits++;
      if (hits === 1) return json(res, 503, { code: "unavailable", message: "busy" });
      json(res, 200, { status: "ok" });
    });
    const other = await serve((_req, _body, res) =>
      json(res, 500, { code: "internal_error", message: "no" }),
    );
    const client = createClient({ baseUrl: `${busy},${other}`, ...fast });
    expect(await client.call("health")).toEqual({ status: "ok" });
    expect(hits).toBe(2);
  });

  it("given several URLs of which none answers, names the last one tried", async () => {
    const client = createClient({ baseUrl: "http://127.0.0.1:1,http://127.0.0.1:2", retries: 1, ...fast });
    await expect(client.call("health")).rejects.toThrow(
      /cannot reach the Sluice API at http:\/\/127\.0\.0\.1:2 /,
    );
  });

  it("throws SluiceConnectionError when the server never answers", async () => {
    const client = createClient({ baseUrl: "http://127.0.0.1:1", retries: 1, ...fast });
    await expect(client.call("health")).rejects.toBeInstanceOf(SluiceConnectionError);
    expect(await client.isHealthy()).toBe(false);
  });

  it("rejects responses that break the contract", async () => {
    const baseUrl = await serve((_req, _body, res) => json(res, 200, { status: "nope" }));
    await expect(createClient({ baseUrl }).call("health")).rejects.toBeInstanceOf(SluiceResponseError);
  });

  it("parses a large answer as a small one: the same data, and a broken item named by its place", async () => {
    // A flow-run graph of 3,000 nodes, about 1 MB of JSON: past the size checked in pieces.
    const node = (i: number) => ({
      id: `0b7f5a4e-6a1b-4c55-9d2a-${String(i).padStart(12, "0")}`,
      name: `task-${i}`,
      kind: "task-run",
      stateType: "COMPLETED",
      stateName: "Completed",
      startTime: "2026-01-01T00:00:00.000Z",
      endTime: "2026-01-01T00:00:01.000Z",
      upstream: i > 0 ? [`0b7f5a4e-6a1b-4c55-9d2a-${String(i - 1).padStart(12, "0")}`] : [],
      childFlowRunId: null,
    });
    const graph = { flowRunId: id, nodes: Array.from({ length: 3000 }, (_, i) => node(i)) };
    let answer: unknown = graph;
    const baseUrl = await serve((_req, _body, res) => json(res, 200, answer));
    const client = createClient({ baseUrl });
    expect(JSON.stringify(graph).length).toBeGreaterThan(256 * 1024);
    expect(await client.call("readFlowRunGraph", { params: { id } })).toEqual(graph);

    answer = { ...graph, nodes: graph.nodes.map((n, i) => (i === 2500 ? { ...n, stateType: "DONE" } : n)) };
    const error = await client.call("readFlowRunGraph", { params: { id } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceResponseError);
    expect((error as Error).message).toContain("readFlowRunGraph: response does not match the contract");
    const cause = (error as { cause: { issues: { path: unknown[] }[] } }).cause;
    expect(cause.issues.map((i) => i.path)).toEqual([["nodes", 2500, "stateType"]]);
  });

  it("maps non-JSON error bodies to a status-derived code", async () => {
    const baseUrl = await serve((_req, _body, res) => {
      res.writeHead(409);
      res.end("conflict!");
    });
    const error = await createClient({ baseUrl })
      .setFlowRunState(id, { state: { type: "RUNNING" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: "conflict" });
  });
});
