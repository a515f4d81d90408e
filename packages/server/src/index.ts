/**
 * @sluice/server: the Sluice orchestration server: REST API, orchestration rules, database and
 * migrations. The CLI starts it; other packages' tests start a throwaway one.
 *
 * @example
 * import { startServer } from "@sluice/server";
 * const server = await startServer({ port: 0, pgliteDataDir: "memory" });
 * console.log(`API at ${server.url}/api/docs`);
 * await server.close();
 *
 * @example
 * // `sluice db upgrade`
 * import { loadServerConfig, openDatabase, migrateDatabase } from "@sluice/server";
 * const db = await openDatabase(loadServerConfig());
 * const { applied } = await migrateDatabase(db);
 * await db.close();
 */
export { createApp, OPENAPI_INFO, type AppDeps } from "./app.js";
export { reencryptBlocks, type KeyRotationSummary } from "./blocks/block-key-rotation.js";
export {
  EncryptionKey,
  generateEncryptionKey,
  InvalidEncryptionKeyError,
  KEY_FORMAT,
  parseEncryptionKey,
} from "./blocks/encryption/encryption-key.js";
export {
  KeyFileError,
  keyFilePath,
  nextKeyFilePath,
  readKeyFile,
  writeKeyFileExclusive,
} from "./blocks/encryption/key-file.js";
export { DecryptionError, Keyring } from "./blocks/encryption/keyring.js";
export { MISSING_KEY_MESSAGE } from "./blocks/encryption/load-keyring.js";
export { systemClock, type Clock } from "./clock.js";
export { ConfigError, loadServerConfig, type ServerConfig, type ServerLogLevel } from "./config.js";
export { loadServiceConfig, type ServiceConfig } from "./config.js";
export { openDatabase, type Database, type DatabaseKind, type DatabaseOptions } from "./db/database.js";
export {
  DatabaseLockedError,
  DB_COMMAND_ROLE,
  DEFAULT_LOCK_ROLE,
  pgliteLockPath,
  readLockHolder,
  type LockHolder,
} from "./db/file-lock.js";
export {
  isSchemaCurrent,
  listAppliedMigrations,
  migrateDatabase,
  resetDatabase,
  type MigrationSummary,
} from "./db/migrate.js";
export { createLogger, type Logger } from "./logger.js";
export {
  computeScheduleTimes,
  describeScheduleProblem,
  type ScheduleProblem,
} from "./schedules/schedule-times.js";
export { ScheduleError, type ScheduleWindow } from "./schedules/schedule-window.js";
export { startServer, type RunningServer, type ServicesOptions, type StartServerOptions } from "./server.js";
export { createScratchDatabase, type ScratchDatabase } from "./testing/scratch-database.js";
export {
  startTestServer,
  TEST_ENCRYPTION_KEY,
  type TestServer,
  type TestServerOptions,
} from "./testing/start-test-server.js";
export { createTestClock, type TestClock } from "./testing/test-clock.js";
export { startRedisProcess, type RedisProcess } from "./testing/redis-process.js";
