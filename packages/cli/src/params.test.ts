import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import { buildParameters, parseParamValue, requireId } from "./params.js";
import { parseFlowTarget } from "./flow-file.js";
import { parseStateTypes } from "./states.js";
import { effectiveSettings, maskUrlPassword } from "./settings.js";

describe("parameters", () => {
  it("parses values as JSON when they parse, else keeps the string", () => {
    expect(parseParamValue("3")).toBe(3);
    expect(parseParamValue("true")).toBe(true);
    expect(parseParamValue("[1,2]")).toEqual([1, 2]);
    expect(parseParamValue('{"a":1}')).toEqual({ a: 1 });
    expect(parseParamValue("world")).toBe("world");
    expect(parseParamValue('"quoted"')).toBe("quoted");
    expect(parseParamValue("")).toBe("");
  });

  it("overlays --param on --params and keeps '=' in values", () => {
    expect(buildParameters(["n=2", "q=a=b"], '{"n":1,"name":"x"}')).toEqual({ n: 2, name: "x", q: "a=b" });
  });

  it("rejects malformed input as usage errors", () => {
    expect(() => buildParameters(["novalue"])).toThrow(UsageError);
    expect(() => buildParameters(["=1"])).toThrow(/expected key=value/);
    expect(() => buildParameters([], "[1]")).toThrow(/JSON object/);
    expect(() => buildParameters([], "{bad")).toThrow(/not JSON/);
  });
});

describe("command-line values", () => {
  it("parses flow targets", () => {
    expect(parseFlowTarget("flows/etl.ts:etl")).toEqual({ file: "flows/etl.ts", exportName: "etl" });
    expect(parseFlowTarget("flows/etl.ts")).toEqual({ file: "flows/etl.ts", exportName: undefined });
    expect(() => parseFlowTarget("etl")).toThrow(UsageError);
  });

  it("parses state types in any case, comma-separated or repeated", () => {
    expect(parseStateTypes(["failed,Crashed", "COMPLETED"])).toEqual(["FAILED", "CRASHED", "COMPLETED"]);
    expect(parseStateTypes([])).toBeUndefined();
    expect(() => parseStateTypes(["DONE"])).toThrow(/expected one of SCHEDULED/);
  });

  it("requires UUIDs for ids", () => {
    expect(() => requireId("abc", "flow run")).toThrow(/invalid flow run id "abc"/);
    expect(requireId("0192F3A4-0000-7000-8000-000000000000", "x")).toBe(
      "0192f3a4-0000-7000-8000-000000000000",
    );
  });
});

describe("settings", () => {
  it("masks secrets and URL passwords unless asked not to", () => {
    expect(maskUrlPassword("postgres://sluice:s3cr3t@db:5432/sluice")).toBe(
      "postgres://sluice:********@db:5432/sluice",
    );
    expect(maskUrlPassword("postgres://db/sluice")).toBe("postgres://db/sluice");
    const env = { SLUICE_API_KEY: "k", SLUICE_S3_SECRET_ACCESS_KEY: "s", SLUICE_HOME: "/data" };
    const byName = (show: boolean) =>
      Object.fromEntries(effectiveSettings(env, show).map((s) => [s.name, s]));
    const masked = byName(false);
    expect(masked.SLUICE_API_KEY).toMatchObject({ value: "********", source: "environment" });
    expect(masked.SLUICE_S3_SECRET_ACCESS_KEY?.value).toBe("********");
    expect(masked.SLUICE_HOME?.value).toBe("/data");
    expect(masked.SLUICE_SERVER_PORT).toMatchObject({ value: "4200", source: "default" });
    expect(byName(true).SLUICE_API_KEY?.value).toBe("k");
  });
});
