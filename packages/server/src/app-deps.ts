import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import type { Database } from "./db/database.js";
import type { Logger } from "./logger.js";

/** What the HTTP app needs from the process: the database, the time, a logger and the settings. */
export interface AppDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: ServerConfig;
}
