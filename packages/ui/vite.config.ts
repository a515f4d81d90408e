import { defineConfig } from "vite";

// Builds the UI into dist/, which the server serves at /. Workspace packages resolve to their
// TypeScript source (the "@sluice/source" condition), so the UI needs no prior tsc build.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  resolve: { conditions: ["@sluice/source", "browser", "module", "import", "default"] },
  oxc: { jsx: { runtime: "automatic" } },
  // `npm run dev -w @sluice/ui`: hot reload, with /api passed to a running server.
  server: { proxy: { "/api": process.env.SLUICE_API_URL ?? "http://127.0.0.1:4200" } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", reportCompressedSize: false },
});
