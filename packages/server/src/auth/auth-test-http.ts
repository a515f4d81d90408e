import type { TestResponse } from "../testing/test-http.js";

/** A response with its headers, for the auth tests. */
export interface AuthResponse extends TestResponse {
  headers: Headers;
}

/** Sends a request with an optional bearer key (or a raw Authorization header). */
export async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string; authorization?: string; body?: unknown } = {},
): Promise<AuthResponse> {
  const headers: Record<string, string> = {};
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  const isJson = response.headers.get("content-type")?.includes("application/json") ?? false;
  const body: unknown = isJson ? JSON.parse(text) : text;
  return { status: response.status, body, headers: response.headers };
}
