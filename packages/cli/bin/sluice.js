#!/usr/bin/env node
// The `sluice` command. It loads the compiled CLI from dist/, which `npm install` builds (the root
// `prepare` script); this file exists so the command is linked even before that build has run.
import { existsSync } from "node:fs";

const main = new URL("../dist/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("sluice: the CLI is not built yet; run `npm run build` at the repository root.\n");
  process.exit(1);
}
await import(main.href);
