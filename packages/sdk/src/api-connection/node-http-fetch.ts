import http from "node:http";
import https from "node:https";

// Flow runs talk to the server on their hot path; node:http with a keep-alive agent costs about a
// third of the global fetch per request (measured: ~110 µs against ~320 µs on loopback).
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 32 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

/**
 * A `fetch` for the SDK's API client over node:http with keep-alive. It implements what the client
 * uses (method, headers, string body, signal) and answers a standard Response. Network errors keep
 * their Node error codes (ECONNREFUSED, ...), so the client's retry policy recognises them.
 */
export const nodeHttpFetch: typeof fetch = (input, init = {}) => {
  const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
  const transport = url.protocol === "https:" ? https : http;
  const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];
  const body = typeof init.body === "string" ? init.body : undefined;
  if (init.body !== undefined && init.body !== null && body === undefined) {
    return Promise.reject(new TypeError("nodeHttpFetch sends string bodies only"));
  }
  const headers = new Headers(init.headers);
  if (body !== undefined) headers.set("content-length", String(Buffer.byteLength(body)));
  const signal = init.signal ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const request = transport.request(
      url,
      { method: init.method ?? "GET", agent, headers: Object.fromEntries(headers) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          signal?.removeEventListener("abort", onAbort);
          const status = res.statusCode ?? 500;
          const text = status === 204 || status === 304 ? null : Buffer.concat(chunks).toString("utf8");
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === "string") responseHeaders.set(name, value);
            else if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
          }
          resolve(
            new Response(text, { status, statusText: res.statusMessage ?? "", headers: responseHeaders }),
          );
        });
      },
    );
    const onAbort = () => request.destroy(signal?.reason as Error);
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    });
    request.end(body);
  });
};
