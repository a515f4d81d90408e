import { generateEncryptionKey } from "../blocks/encryption/encryption-key.js";
import { Keyring } from "../blocks/encryption/keyring.js";
import type { Clock } from "../clock.js";
import { loadServerConfig } from "../config.js";
import { LocalEventBus } from "../events/event-bus.js";
import type { ServerEvent } from "../events/server-events.js";
import { createLogger } from "../logger.js";
import type { TestServer } from "../testing/start-test-server.js";
import type { ServiceDeps } from "./service-runner.js";

/** Service dependencies over a test server's database, with the events they publish collected. */
export function serviceDepsFor(server: TestServer, clock: Clock): ServiceDeps & { published: ServerEvent[] } {
  const events = new LocalEventBus();
  const published: ServerEvent[] = [];
  events.subscribe((event) => published.push(event));
  return {
    db: server.db,
    clock,
    logger: createLogger("silent"),
    config: loadServerConfig({}),
    events,
    keyring: new Keyring(generateEncryptionKey()),
    published,
  };
}
