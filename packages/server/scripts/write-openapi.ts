/**
 * Regenerates docs/openapi.json from the contract routes. A test fails when the committed file is stale.
 *
 *   node --conditions=@sluice/source --import tsx packages/server/scripts/write-openapi.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createOpenApiDocument, formatOpenApiDocument } from "../src/http/openapi-document.js";

const target = fileURLToPath(new URL("../../../docs/openapi.json", import.meta.url));
writeFileSync(target, formatOpenApiDocument(createOpenApiDocument()));
process.stdout.write(`wrote ${target}\n`);
