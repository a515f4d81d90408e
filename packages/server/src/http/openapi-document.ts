import { createApp, OPENAPI_INFO } from "../app.js";
import { systemClock } from "../clock.js";
import { LocalEventBus } from "../events/event-bus.js";
import { loadServerConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { createLogger } from "../logger.js";
import { compactOpenApiDocument } from "./openapi-components.js";
import { generateEncryptionKey } from "../blocks/encryption/encryption-key.js";
import { Keyring } from "../blocks/encryption/keyring.js";

/**
 * The OpenAPI 3.1 document of the API, built without a database: declaring routes never touches
 * it (the database below throws if anything tries). Written to docs/openapi.json by
 * scripts/write-openapi.ts and served at /api/openapi.json.
 */
export function createOpenApiDocument(): unknown {
  const refuse = (): never => {
    throw new Error("this app only documents routes; it has no database");
  };
  const database: Database = {
    kind: "postgres",
    get db(): never {
      return refuse();
    },
    ping: refuse,
    close: () => Promise.resolve(),
  };
  const app = createApp({
    db: database,
    clock: systemClock,
    logger: createLogger("silent"),
    config: loadServerConfig({}),
    events: new LocalEventBus(),
    keyring: new Keyring(generateEncryptionKey()),
  });
  return compactOpenApiDocument(app.getOpenAPI31Document(OPENAPI_INFO));
}

/** The committed form of the document: two-space JSON with a final newline. */
export function formatOpenApiDocument(document: unknown): string {
  return JSON.stringify(document, null, 2) + "\n";
}
