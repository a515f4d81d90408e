import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { PACKAGE_DIR } from "../flow.js";
import { assertVersionsResolved, parseRecipe, RecipeError, toSortedYaml } from "./recipe-file.js";

const packageRecipe = readFileSync(join(PACKAGE_DIR, "recipe.yml"), "utf8");

function problemsOf(text: string): readonly string[] {
  try {
    parseRecipe(text, "test.yml");
  } catch (error) {
    if (error instanceof RecipeError) return error.problems;
    throw error;
  }
  throw new Error("the recipe was accepted");
}

describe("recipes", () => {
  it("accepts the package's recipe for product template with bpl_libraries", () => {
    const recipe = parseRecipe(packageRecipe, "recipe.yml");
    expect(recipe).toMatchObject({ product: "template", version: "24Q3" });
    expect(recipe.inputs.datasets.map((dataset) => dataset.id)).toEqual(["bpl_libraries"]);
    expect(recipe.stage_config["builds.build"]?.connector_args).toEqual([
      { name: "acl", value: "public-read", value_from: null },
    ]);
  });

  it("rejects unknown keys, naming each field", () => {
    const text = packageRecipe.replace("product: template", "product: template\nbuild_engine: duckdb");
    expect(problemsOf(text)).toEqual(["build_engine: unknown field"]);
    const nested = packageRecipe.replace(
      "    - name: bpl_libraries",
      "    - name: bpl_libraries\n      dataset: x",
    );
    expect(problemsOf(nested)).toEqual(["inputs.datasets.0.dataset: unknown field"]);
  });

  it("rejects a recipe without datasets, or a dataset without a name", () => {
    expect(problemsOf("name: x\nproduct: template\ninputs: {}\n")).toEqual([
      "inputs.datasets: Invalid input: expected array, received undefined",
    ]);
    expect(problemsOf("name: x\nproduct: template\ninputs:\n  datasets: []\n")).toEqual([
      "inputs.datasets: a recipe needs at least one dataset",
    ]);
    expect(problemsOf("name: x\nproduct: template\ninputs:\n  datasets:\n    - version: latest\n")).toEqual([
      "inputs.datasets.0.name: a dataset needs a name (its id)",
    ]);
  });

  it("rejects the Prefect POC's shapes (map-style inputs, dict connector_args)", () => {
    const poc = [
      "name: x",
      "product: bpl_libraries",
      "inputs:",
      "  bpl_libraries: { dataset: dcp_libraries }",
      "stage_config:",
      "  builds.build:",
      "    connector_args: { acl: public-read }",
    ].join("\n");
    expect(problemsOf(poc)).toEqual(
      expect.arrayContaining([
        "inputs.bpl_libraries: unknown field",
        expect.stringMatching(/^stage_config\.builds\.build\.connector_args: /),
      ]),
    );
  });

  it("writes locks with keys sorted and nulls kept, and reads them back unchanged", () => {
    const recipe = parseRecipe(packageRecipe, "recipe.yml");
    const text = toSortedYaml(recipe);
    expect(text.startsWith("base_recipe: null\nbranch: null\nbuild_name: null\n")).toBe(true);
    expect(text).toContain("  datasets:\n  - archive_date: null\n");
    expect(parseRecipe(text, "recipe.lock.yml")).toEqual(recipe);
    expect(parse(text)).toMatchObject({ version: "24Q3", version_strategy: null });
    expect(toSortedYaml({ v: "20240105", d: "2024-06-01T10:30:00-04:00", flag: "yes", p: "24Q3" })).toBe(
      'd: "2024-06-01T10:30:00-04:00"\nflag: "yes"\np: 24Q3\nv: "20240105"\n',
    );
  });

  it("refuses a lock whose versions are unresolved", () => {
    const recipe = parseRecipe(packageRecipe, "recipe.yml");
    expect(() => assertVersionsResolved(recipe, "recipe.lock.yml")).toThrow(
      "Recipe has unresolved versions! (inputs.datasets[bpl_libraries].version)",
    );
  });
});
