import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { CliError } from "../errors.js";
import { ProjectFileError, type ProjectFileIssue } from "./project-file-error.js";
import { ProjectFileSchema, type ProjectFile } from "./project-file-schema.js";
import {
  applyTemplates,
  collectTemplateReferences,
  type TemplateBlock,
  type TemplateContext,
} from "./templating.js";
import { YamlSource, formatFieldPath, type FieldPath } from "./yaml-source.js";

/** The project file's name when --file is not given. */
export const DEFAULT_PROJECT_FILE = "sluice.yaml";

/** A parsed, templated and validated project file, with the means to position later errors in it. */
export interface LoadedProjectFile {
  /** The file as the user named it (what errors print). */
  file: string;
  /** The absolute directory holding it: entrypoints are relative to it; deployments record it as `path`. */
  directory: string;
  content: ProjectFile;
  /** The position of a field (its key when `key`), for errors found after loading. */
  issueAt(path: FieldPath, message: string, options?: { key?: boolean }): ProjectFileIssue;
}

function zodIssues(source: YamlSource, issues: readonly z.core.$ZodIssue[]): ProjectFileIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      // Point at each unknown key itself, not at the object holding it.
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return { ...source.locate(path, { key: true }), path: formatFieldPath(path), message: issue.message };
      });
    }
    // zod says "expected string, received undefined" for a key left out; say it plainly.
    const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
    const message = missing ? `required: add ${String(issue.path.at(-1) ?? "it")}` : issue.message;
    return [{ ...source.locate(issue.path), path: formatFieldPath(issue.path), message }];
  });
}

/** Parses and validates project-file text; `file` names it in errors. Throws ProjectFileError. */
export function parseProjectFile(
  text: string,
  file: string,
  directory: string,
  context: TemplateContext = { env: process.env },
): LoadedProjectFile {
  const source = new YamlSource(text);
  const syntax = source.problems();
  if (syntax.length > 0) throw new ProjectFileError(file, syntax);
  const raw = source.toValue();
  if (raw === null || raw === undefined) {
    throw new ProjectFileError(file, [
      { line: 1, column: 1, path: "", message: "the file is empty: expected a `deployments:` list" },
    ]);
  }
  // Anchored top-level keys only define things for aliases; templates in them are filled where used.
  const definitions = new Set(source.anchoredTopLevelKeys());
  const content =
    typeof raw === "object" && !Array.isArray(raw)
      ? Object.fromEntries(Object.entries(raw).filter(([key]) => !definitions.has(key)))
      : raw;
  const templated = applyTemplates(content, context);
  if (templated.problems.length > 0) {
    throw new ProjectFileError(
      file,
      templated.problems.map((problem) => ({
        ...source.locateText(problem.path, problem.match),
        path: formatFieldPath(problem.path),
        message: problem.message,
      })),
    );
  }
  const parsed = ProjectFileSchema.safeParse(templated.value);
  if (!parsed.success) throw new ProjectFileError(file, zodIssues(source, parsed.error.issues));
  return {
    file,
    directory,
    content: parsed.data,
    issueAt: (path, message, options) => ({
      ...source.locate(path, options),
      path: formatFieldPath(path),
      message,
    }),
  };
}

/** Fetches what `{{ variables.NAME }}` and `{{ blocks.TYPE.NAME }}` name; undefined when absent. */
export interface TemplateLookup {
  variable(name: string): Promise<{ value: unknown } | undefined>;
  block(type: string, name: string): Promise<TemplateBlock | undefined>;
}

/** Fetches every variable and block the file's templates name, at once. */
async function fetchTemplateValues(
  text: string,
  lookup: TemplateLookup,
): Promise<Pick<TemplateContext, "variables" | "blocks">> {
  const source = new YamlSource(text);
  if (source.problems().length > 0) return {};
  const references = collectTemplateReferences(source.toValue());
  const variables = new Map<string, unknown>();
  const blocks = new Map<string, TemplateBlock>();
  await Promise.all([
    ...[...references.variables].map(async (name) => {
      const found = await lookup.variable(name);
      if (found) variables.set(name, found.value);
    }),
    ...[...references.blocks].map(async (key) => {
      const [type = "", name = ""] = key.split("/");
      const found = await lookup.block(type, name);
      if (found) blocks.set(key, found);
    }),
  ]);
  return { variables, blocks };
}

/**
 * Reads a project file (default ./sluice.yaml), failing with a clear message when it is missing.
 * With `lookup`, templates naming variables and blocks are filled from the server.
 */
export async function loadProjectFile(
  file: string = DEFAULT_PROJECT_FILE,
  options: { env?: NodeJS.ProcessEnv; lookup?: TemplateLookup } = {},
): Promise<LoadedProjectFile> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CliError(
        `project file not found: ${file} (looked at ${absolute}); create one (see docs/sluice-yaml.md) or pass --file PATH`,
        1,
        { cause: error },
      );
    }
    throw new CliError(`could not read ${file}: ${(error as Error).message}`, 1, { cause: error });
  }
  const fetched = options.lookup ? await fetchTemplateValues(text, options.lookup) : {};
  return parseProjectFile(text, file, dirname(absolute), { env: options.env ?? process.env, ...fetched });
}
