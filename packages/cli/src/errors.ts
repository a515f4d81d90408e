/** Exit codes of the `sluice` command: 0 ok, 1 failure, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error the CLI reports as one clear message, exiting with `exitCode` (default 1). */
export class CliError extends Error {
  override readonly name: string = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bad input on the command line: exit code 2. */
export class UsageError extends CliError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}

/** An API error as the client reports it: callers branch on `code`. */
export interface ApiErrorLike {
  status: number;
  code: string;
  message: string;
  details?: { issues?: { path: string; message: string }[] } & Record<string, unknown>;
}

/** True for errors carrying an API error code (SluiceApiError and look-alikes from other instances). */
export function isApiError(error: unknown): error is ApiErrorLike {
  return (
    error instanceof Error &&
    typeof (error as Partial<ApiErrorLike>).code === "string" &&
    typeof (error as Partial<ApiErrorLike>).status === "number"
  );
}

/** Field issues carried by an error (API `details.issues`, or an `issues` array on SDK errors). */
export function issuesOf(error: unknown): { path: string; message: string }[] {
  if (typeof error !== "object" || error === null) return [];
  const e = error as { details?: { issues?: unknown }; issues?: unknown };
  const raw = e.details?.issues ?? e.issues;
  if (!Array.isArray(raw)) return [];
  return raw.map((issue: unknown) => {
    const i = issue as { path?: unknown; message?: unknown };
    const path = Array.isArray(i.path)
      ? i.path.map(String).join(".")
      : typeof i.path === "string"
        ? i.path
        : "";
    return { path, message: typeof i.message === "string" ? i.message : "invalid" };
  });
}

/** The message printed for any error, naming the API error code when there is one. */
export function describeError(error: unknown): string {
  if (isApiError(error) && error.status === 401) {
    // The server says no more than "unauthorized"; say what to do about it.
    return process.env.SLUICE_API_KEY
      ? "the server refused the API key in SLUICE_API_KEY: it is wrong, expired or revoked (unauthorized)"
      : "the server needs an API key: set SLUICE_API_KEY (unauthorized)";
  }
  if (isApiError(error)) {
    const lines = [`${error.message} (${error.code})`];
    for (const issue of issuesOf(error)) lines.push(`  - ${issue.path || "(root)"}: ${issue.message}`);
    return lines.join("\n");
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
