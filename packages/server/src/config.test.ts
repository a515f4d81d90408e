import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadServerConfig } from "./config.js";

describe("loadServerConfig", () => {
  it("applies defaults", () => {
    expect(loadServerConfig({})).toEqual({
      home: join(homedir(), ".sluice"),
      databaseUrl: undefined,
      redisUrl: undefined,
      pgliteDataDir: join(homedir(), ".sluice", "db"),
      host: "127.0.0.1",
      port: 4200,
      migrateOnStart: true,
      logLevel: "info",
      encryptionKey: undefined,
      previousEncryptionKeys: [],
      apiKey: undefined,
    });
  });

  it("reads every variable", () => {
    const config = loadServerConfig({
      SLUICE_HOME: "/srv/sluice",
      SLUICE_DATABASE_URL: "postgresql://u@db:5432/sluice",
      SLUICE_SERVER_HOST: "0.0.0.0",
      SLUICE_SERVER_PORT: "8080",
      SLUICE_MIGRATE_ON_START: "false",
      SLUICE_LOG_LEVEL: "debug",
    });
    expect(config).toMatchObject({
      home: "/srv/sluice",
      pgliteDataDir: "/srv/sluice/db",
      databaseUrl: "postgresql://u@db:5432/sluice",
      host: "0.0.0.0",
      port: 8080,
      migrateOnStart: false,
      logLevel: "debug",
    });
  });

  it("reads SLUICE_REDIS_URL and rejects a malformed one without showing its password", () => {
    expect(loadServerConfig({ SLUICE_REDIS_URL: "redis://:pw@cache:6379/0" }).redisUrl).toBe(
      "redis://:pw@cache:6379/0",
    );
    expect(loadServerConfig({ SLUICE_REDIS_URL: "rediss://cache.example" }).redisUrl).toBe(
      "rediss://cache.example",
    );
    for (const bad of ["cache:6379", "http://cache:6379", "redis://user:s3cret@"]) {
      const error = (() => {
        try {
          loadServerConfig({ SLUICE_REDIS_URL: bad });
        } catch (thrown) {
          return thrown as ConfigError;
        }
        throw new Error(`${bad} was accepted`);
      })();
      expect(error.variables).toEqual(["SLUICE_REDIS_URL"]);
      expect(error.message).toMatch(/SLUICE_REDIS_URL=.*: expected a redis:\/\/ or rediss:\/\/ URL/);
      expect(error.message).not.toContain("s3cret");
    }
  });

  it("reads SLUICE_API_KEY and never repeats a bad one in the error", () => {
    expect(loadServerConfig({ SLUICE_API_KEY: "a-long-enough-server-key" }).apiKey).toBe(
      "a-long-enough-server-key",
    );
    const error = (() => {
      try {
        loadServerConfig({ SLUICE_API_KEY: "short-secret" });
      } catch (thrown) {
        return thrown as ConfigError;
      }
      throw new Error("a 12-character key was accepted");
    })();
    expect(error.variables).toEqual(["SLUICE_API_KEY"]);
    expect(error.message).toMatch(/SLUICE_API_KEY=\(hidden\): use at least 16 characters/);
    expect(error.message).not.toContain("short-secret");
  });

  it("reads the SDK's spellings of SLUICE_LOG_LEVEL (WARNING, CRITICAL)", () => {
    expect(loadServerConfig({ SLUICE_LOG_LEVEL: "WARNING" }).logLevel).toBe("warn");
    expect(loadServerConfig({ SLUICE_LOG_LEVEL: "CRITICAL" }).logLevel).toBe("error");
    expect(() => loadServerConfig({ SLUICE_LOG_LEVEL: "loud" })).toThrow(/SLUICE_LOG_LEVEL/);
  });

  it("names the variable holding a bad value", () => {
    expect(() => loadServerConfig({ SLUICE_SERVER_PORT: "eighty" })).toThrow(/SLUICE_SERVER_PORT="eighty"/);
    expect(() => loadServerConfig({ SLUICE_MIGRATE_ON_START: "maybe" })).toThrow(/SLUICE_MIGRATE_ON_START/);
    expect(() => loadServerConfig({ SLUICE_DATABASE_URL: "mysql://x" })).toThrow(/SLUICE_DATABASE_URL/);
    try {
      loadServerConfig({ SLUICE_LOG_LEVEL: "loud", SLUICE_SERVER_PORT: "70000" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables).toEqual(["SLUICE_SERVER_PORT", "SLUICE_LOG_LEVEL"]);
    }
  });

  it("expands ~ in SLUICE_HOME and treats empty values as unset", () => {
    expect(loadServerConfig({ SLUICE_HOME: "~/data", SLUICE_DATABASE_URL: "" })).toMatchObject({
      home: join(homedir(), "data"),
      databaseUrl: undefined,
    });
  });
});
