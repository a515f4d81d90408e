import type { Keyring } from "./blocks/encryption/keyring.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import type { Database } from "./db/database.js";
import type { EventBus } from "./events/event-bus.js";
import type { Logger } from "./logger.js";

/** What the HTTP app needs from the process: the database, the time, a logger, the settings and the event bus. */
export interface AppDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: ServerConfig;
  /** Where state changes are announced (workers' long-polls listen). */
  readonly events: EventBus;
  /** The keys that encrypt and decrypt block data. */
  readonly keyring: Keyring;
  /** Aborted when the server begins to close, so held requests (claim long-polls) answer at once. */
  readonly closing?: AbortSignal;
  /** The web UI build served at / (default: packages/ui/dist next to this package). */
  readonly uiDir?: string;
}
