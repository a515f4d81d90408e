import { afterEach, describe, expect, it } from "vitest";
import { getSdkSettings, resetSdkSettings } from "./sdk-settings.js";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetSdkSettings();
});

describe("SDK settings", () => {
  it("has defaults", () => {
    delete process.env.SLUICE_LOG_LEVEL;
    delete process.env.SLUICE_TASK_CONCURRENCY;
    delete process.env.SLUICE_HOME;
    resetSdkSettings();
    expect(getSdkSettings()).toMatchObject({ logLevel: 20, taskConcurrency: 64, heartbeatSeconds: 5 });
    expect(getSdkSettings().home).toMatch(/\.sluice$/);
  });

  it("reads SLUICE_* variables", () => {
    process.env.SLUICE_LOG_LEVEL = "debug";
    process.env.SLUICE_TASK_CONCURRENCY = "8";
    process.env.SLUICE_HOME = "/tmp/x";
    resetSdkSettings();
    expect(getSdkSettings()).toMatchObject({ logLevel: 10, taskConcurrency: 8, home: "/tmp/x" });
  });

  it("accepts several server replicas in SLUICE_API_URL, separated by commas", () => {
    process.env.SLUICE_API_URL = "http://a:4200,http://b:4200";
    resetSdkSettings();
    expect(getSdkSettings().apiUrl).toBe("http://a:4200,http://b:4200");
    process.env.SLUICE_API_URL = "http://a:4200,b";
    resetSdkSettings();
    expect(() => getSdkSettings()).toThrow(/SLUICE_API_URL/);
  });

  it("reads the server's spellings of SLUICE_LOG_LEVEL, which flows launched by a worker inherit", () => {
    process.env.SLUICE_LOG_LEVEL = "warn";
    resetSdkSettings();
    expect(getSdkSettings().logLevel).toBe(30);
    process.env.SLUICE_LOG_LEVEL = "silent";
    resetSdkSettings();
    expect(getSdkSettings().logLevel).toBe(50);
  });

  it("reads SLUICE_RESULT_STORAGE: local by default, or a storage block reference", () => {
    delete process.env.SLUICE_RESULT_STORAGE;
    resetSdkSettings();
    expect(getSdkSettings().resultStorage).toBe("local");
    process.env.SLUICE_RESULT_STORAGE = "s3-bucket/results";
    resetSdkSettings();
    expect(getSdkSettings().resultStorage).toBe("s3-bucket/results");
    for (const bad of ["s3-bucket/", "secret/db", "s3-bucket/../x", "/tmp/x"]) {
      process.env.SLUICE_RESULT_STORAGE = bad;
      resetSdkSettings();
      expect(() => getSdkSettings(), bad).toThrow("SLUICE_RESULT_STORAGE");
    }
  });

  it("rejects invalid values", () => {
    process.env.SLUICE_TASK_CONCURRENCY = "0";
    resetSdkSettings();
    expect(() => getSdkSettings()).toThrow();
  });
});
