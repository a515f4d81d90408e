import { CliError } from "../errors.js";

/** One problem in a project file: where it is, which field, and what is wrong. */
export interface ProjectFileIssue {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The field, for example `deployments[0].schedules[1].cron` ("" for the file itself). */
  path: string;
  message: string;
}

/** Renders an issue as `sluice.yaml:14:9: deployments[0].schedules[1].cron: message`. */
export function formatIssue(file: string, issue: ProjectFileIssue): string {
  const where = `${file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** A project file that cannot be used; lists every issue found, each positioned. Exit code 1. */
export class ProjectFileError extends CliError {
  override readonly name = "ProjectFileError";
  constructor(
    readonly file: string,
    readonly issues: readonly ProjectFileIssue[],
  ) {
    const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
    const lines = [...new Set(sorted.map((issue) => formatIssue(file, issue)))];
    super(
      lines.length === 1 ? (lines[0] ?? "") : `${file} has ${lines.length} problems:\n${lines.join("\n")}`,
    );
  }
}
