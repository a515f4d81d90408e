import { parse, stringify } from "yaml";
import type { z } from "zod";
import { Recipe } from "./recipe-schema.js";

/** A recipe or lock file that is not valid YAML or does not match the model; names each bad field. */
export class RecipeError extends Error {
  override readonly name = "RecipeError";
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a valid recipe: ${problems.join("; ")}`);
  }
}

/** Each issue as `field.path: message`; unknown keys are named one by one. */
function describeIssues(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${at ? `${at}.` : ""}${key}: unknown field`);
    }
    return [`${at || "(recipe)"}: ${issue.message}`];
  });
}

/** Parses and validates a recipe.yml or recipe.lock.yml; `source` names the file in errors. */
export function parseRecipe(text: string, source: string): Recipe {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new RecipeError(source, [`not YAML: ${(error as Error).message}`]);
  }
  const parsed = Recipe.safeParse(raw);
  if (!parsed.success) throw new RecipeError(source, describeIssues(parsed.error));
  return parsed.data;
}

/**
 * YAML as PyYAML's `yaml.dump` writes it: keys sorted, nulls kept, lists not indented, and YAML 1.1 rules,
 * so strings PyYAML would read as dates, numbers or booleans ("2024-06-01", "20240105", "yes") are quoted.
 */
export function toSortedYaml(value: unknown): string {
  return stringify(value, {
    version: "1.1",
    sortMapEntries: true,
    nullStr: "null",
    lineWidth: 0,
    indentSeq: false,
  });
}

/** Fails (naming the datasets) when a lock still holds unresolved versions, as dcpy's load does. */
export function assertVersionsResolved(recipe: Recipe, source: string): void {
  const unresolved = recipe.inputs.datasets
    .filter((dataset) => dataset.version === null || dataset.version === "latest")
    .map((dataset) => `inputs.datasets[${dataset.id}].version`);
  if (unresolved.length > 0) {
    throw new RecipeError(source, [`Recipe has unresolved versions! (${unresolved.join(", ")})`]);
  }
}
