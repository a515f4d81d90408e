/**
 * Writes src/db/migrations/embedded.ts from the .sql files beside it, so migrations ship inside
 * the compiled package (tsc copies no .sql files). A test fails when the embedded copy is stale.
 *
 *   node --conditions=@sluice/source --import tsx packages/server/scripts/embed-migrations.ts
 */
import { writeFileSync } from "node:fs";
import { embeddedMigrationsSource, EMBEDDED_MIGRATIONS_PATH } from "../src/db/migration-files.js";

writeFileSync(EMBEDDED_MIGRATIONS_PATH, embeddedMigrationsSource());
process.stdout.write(`wrote ${EMBEDDED_MIGRATIONS_PATH}\n`);
