import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";

/**
 * Where the built web UI is: packages/ui/dist, found from this file (the same depth in src/ and
 * dist/, so it works from source and from the build). The server does not import @sluice/ui: it only
 * serves the files its build wrote.
 */
export const DEFAULT_UI_DIR = fileURLToPath(new URL("../../../ui/dist", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * The app's pages load only the build's own scripts and styles and talk only to this server: a
 * second line of defence should anything in a run's data ever reach the page as markup.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The page served instead of the UI when its build is missing: what happened and how to fix it. */
export const UI_NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sluice: the web UI is not built</title>
<style>body { font: 15px/1.5 system-ui, sans-serif; margin: 3rem auto; max-width: 40rem; padding: 0 1rem; }</style></head>
<body><h1>The web UI is not built</h1>
<p>The Sluice server is running, but it found no web UI build to serve. Build it with
<code>npm run build</code> (or <code>npm install</code>, which builds it) in the Sluice checkout and reload.</p>
<p>The API works meanwhile: see the <a href="/api/docs">API reference</a>.</p></body></html>`;

/**
 * Serves the UI build at `/`: files under `uiDir` by path (hashed assets cached for a year), and
 * index.html for every other GET that is not an API route, so client-side routes such as
 * /runs/{id} load the app. A path is resolved inside `uiDir` and refused if it leaves it.
 */
export function mountUi(app: OpenAPIHono, uiDir: string = DEFAULT_UI_DIR): void {
  const root = resolve(uiDir);
  const indexFile = resolve(root, "index.html");
  app.get("*", async (c, next) => {
    if (c.req.path === "/api" || c.req.path.startsWith("/api/")) return next();
    const file = await existingFile(root, c.req.path);
    if (file) return sendFile(c, file, file.startsWith(resolve(root, "assets") + sep));
    // A missing asset is a 404, not the app: a stale page asking for an old bundle must see the error.
    if (c.req.path.startsWith("/assets/")) return c.text(`no file ${c.req.path} in the web UI build`, 404);
    if (await existingFile(root, "/index.html")) return sendFile(c, indexFile, false);
    return c.html(UI_NOT_BUILT_HTML, 503);
  });
}

/** The file a URL path names inside `root`, or undefined (no such file, a directory, or outside root). */
async function existingFile(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const candidate = resolve(root, `.${decoded.startsWith("/") ? decoded : `/${decoded}`}`);
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  try {
    return (await stat(candidate)).isFile() ? candidate : undefined;
  } catch (error) {
    // No such file: the caller falls back to index.html. Anything else (permissions) is a real fault.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "ENAMETOOLONG") return undefined;
    throw error;
  }
}

async function sendFile(c: Context, file: string, immutable: boolean): Promise<Response> {
  const body = await readFile(file);
  return c.body(body, 200, {
    "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    // Hashed assets never change; index.html must be fetched again to pick up a new build.
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    "x-content-type-options": "nosniff",
    ...(file.endsWith(".html") ? { "content-security-policy": CONTENT_SECURITY_POLICY } : {}),
  });
}
