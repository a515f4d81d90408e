import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildSchema,
  buildTimestamp,
  makeBuildName,
  newYorkIsoTimestamp,
  resolveProductVersion,
  timestampDate,
} from "./build-context.js";
import { PACKAGE_DIR } from "./flow.js";
import { parseRecipe } from "./recipe/recipe-file.js";

const base = readFileSync(join(PACKAGE_DIR, "recipe.yml"), "utf8").replace("version: 24Q3\n", "");
const withStrategy = (strategy: string) =>
  parseRecipe(`${base}version_strategy: ${strategy}\n`, "recipe.yml");
const date = new Date("2024-06-17T14:30:00Z");

describe("build names and versions", () => {
  it("formats build names, timestamps and schemas as dcpy does", () => {
    expect(buildTimestamp(date)).toBe("20240617T1430");
    expect(timestampDate("20240617T1430")).toEqual(date);
    expect(makeBuildName("24Q3", "20240617T1430", "main")).toBe("24Q3:20240617T1430:main");
    expect(buildSchema("Feature-X")).toBe("feature_x");
    expect(newYorkIsoTimestamp(date)).toBe("2024-06-17T10:30:00-04:00");
    expect(newYorkIsoTimestamp(new Date("2024-01-05T05:00:00Z"))).toBe("2024-01-05T00:00:00-05:00");
  });

  it("takes the parameter, else the recipe's version, else its version strategy", async () => {
    const recipe = parseRecipe(readFileSync(join(PACKAGE_DIR, "recipe.yml"), "utf8"), "recipe.yml");
    expect(await resolveProductVersion(recipe, { override: "24Q4", date })).toBe("24Q4");
    expect(await resolveProductVersion(recipe, { date })).toBe("24Q3");
    expect(await resolveProductVersion(withStrategy("today"), { date })).toBe("2024-06-17");
    expect(await resolveProductVersion(withStrategy("first_of_month"), { date })).toBe("2024-06-01");
    const pinned = withStrategy("{ pin_to_source_dataset: bpl_libraries }");
    const sourceDatasetVersion = (id: string) => Promise.resolve(id === "bpl_libraries" ? "20240105" : "?");
    expect(await resolveProductVersion(pinned, { date, sourceDatasetVersion })).toBe("20240105");
    await expect(resolveProductVersion(withStrategy("bump_latest_release"), { date })).rejects.toThrow(
      /^version_strategy: bump_latest_release needs published releases/,
    );
    await expect(resolveProductVersion(parseRecipe(base, "recipe.yml"), { date })).rejects.toThrow(
      /^version: the recipe has no version or version_strategy/,
    );
  });
});
