/** A response as tests look at it: the status and the parsed JSON body (or text when not JSON). */
export interface TestResponse {
  status: number;
  // Tests read the body loosely and assert its shape; `any` keeps those assertions short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The items of a page response. */
export function items<T>(response: TestResponse): T[] {
  return (response.body as { items: T[] }).items;
}

/** The field paths named by a 400 response. */
export function issuePaths(response: TestResponse): string[] {
  return (response.body as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
}

/** A tiny fetch wrapper for tests against a running server. */
export function testHttp(baseUrl: string) {
  const send = async (method: string, path: string, body?: unknown, raw?: string): Promise<TestResponse> => {
    const init: RequestInit = { method };
    if (body !== undefined || raw !== undefined) {
      init.headers = { "content-type": "application/json" };
      init.body = raw ?? JSON.stringify(body);
    }
    const response = await fetch(baseUrl + path, init);
    const text = await response.text();
    const isJson = response.headers.get("content-type")?.includes("application/json") ?? false;
    const parsed: unknown = isJson ? JSON.parse(text) : text;
    return { status: response.status, body: parsed };
  };
  return {
    get: (path: string) => send("GET", path),
    post: (path: string, body: unknown = {}) => send("POST", path, body),
    postRaw: (path: string, raw: string) => send("POST", path, undefined, raw),
    patch: (path: string, body: unknown) => send("PATCH", path, body),
    put: (path: string, body: unknown) => send("PUT", path, body),
    delete: (path: string) => send("DELETE", path),
  };
}

/** Waits until `check` returns a value other than undefined, polling until `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
