import { createServer, type Server } from "node:http";

/** Options of startHealthcheck. */
export interface HealthcheckOptions {
  /** Port to listen on (default 8080; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default 0.0.0.0, so a container's probe reaches it). */
  host?: string;
  /** True while the worker is healthy. */
  isHealthy: () => boolean;
}

/** A running healthcheck server. */
export interface Healthcheck {
  /** The URL of its /health endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves GET /health: 200 while the worker is healthy, 503 otherwise; 404 for anything else. */
export async function startHealthcheck(options: HealthcheckOptions): Promise<Healthcheck> {
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/health") {
      response.writeHead(404, { "content-type": "application/json" }).end('{"status":"not_found"}');
      return;
    }
    const healthy = options.isHealthy();
    response
      .writeHead(healthy ? 200 : 503, { "content-type": "application/json" })
      .end(JSON.stringify({ status: healthy ? "ok" : "unhealthy" }));
  });
  const host = options.host ?? "0.0.0.0";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 8080);
  const shownHost = host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${shownHost}:${port}/health`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
