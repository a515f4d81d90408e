import type { ErrorCode, FieldIssue } from "@sluice/contracts";

/** Facts about a failure, safe to show a client (ids, names, states). */
export type ErrorContext = Readonly<Record<string, unknown>>;

/** The base of every error the server answers with a 4xx or 503; `code` is the stable wire code. */
export abstract class SluiceError extends Error {
  abstract readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 404: the named resource does not exist (code names the domain, e.g. flow_run_not_found). */
export class NotFoundError extends SluiceError {
  override readonly name = "NotFoundError";
  readonly status = 404;
}

/** 409: the request conflicts with the current state of a resource. */
export class ConflictError extends SluiceError {
  override readonly name = "ConflictError";
  readonly status = 409;
}

/** 400: the request is malformed or fails validation; `issues` name the fields. */
export class ValidationError extends SluiceError {
  override readonly name = "ValidationError";
  readonly status = 400;

  constructor(
    code: ErrorCode,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, issues.length > 0 ? { issues } : {}, options);
  }
}

/** 413: the request or one of its fields is larger than the server accepts. */
export class PayloadTooLargeError extends SluiceError {
  override readonly name = "PayloadTooLargeError";
  readonly status = 413;
}

/** 415: the request body is not in a media type the route reads (JSON). */
export class UnsupportedMediaTypeError extends SluiceError {
  override readonly name = "UnsupportedMediaTypeError";
  readonly status = 415;
}

/** 503: the database cannot be reached; the request may be retried. */
export class DatabaseUnavailableError extends SluiceError {
  override readonly name = "DatabaseUnavailableError";
  readonly status = 503;

  constructor(cause: unknown, message = "the database is unavailable; retry shortly") {
    super("database_unavailable", message, {}, { cause });
  }
}

/** Throws NotFoundError(code) when `value` is undefined; returns it otherwise. */
export function found<T>(value: T | undefined, code: ErrorCode, what: string, id: string): T {
  if (value === undefined) throw new NotFoundError(code, `${what} ${id} not found`, { id });
  return value;
}
