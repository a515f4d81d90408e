import type { ApiError } from "@sluice/contracts";
import { type FieldIssue } from "@sluice/contracts";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { Logger } from "../logger.js";
import { isDatabaseUnavailable } from "./database-errors.js";
import {
  ConflictError,
  DatabaseUnavailableError,
  SluiceError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "./errors.js";

/** Maps any thrown error to `{ code, message, details? }`; unknown errors are logged and become 500. */
export function createErrorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const known = toSluiceError(error);
    if (known) {
      if (known instanceof DatabaseUnavailableError) {
        logger.warn("database unavailable", { path: c.req.path, cause: describe(known.cause) });
      }
      return c.json(errorBody(known), known.status as ContentfulStatusCode);
    }
    logger.error("unhandled error", { method: c.req.method, path: c.req.path, error: describe(error) });
    return c.json({ code: "internal_error", message: "internal server error" } satisfies ApiError, 500);
  };
}

function toSluiceError(error: Error): SluiceError | undefined {
  if (error instanceof SluiceError) return error;
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError(error);
  const code = (error as { code?: unknown }).code;
  if (code === "42P01") {
    const message = "the database schema is not migrated; run `sluice db upgrade`";
    return new DatabaseUnavailableError(error, message);
  }
  if (code === "23503") {
    return new ConflictError(
      "conflict",
      "a resource this request refers to was deleted meanwhile",
      {},
      { cause: error },
    );
  }
  if (code === "23505") {
    return new ConflictError(
      "conflict",
      "an id in this request is already used by another resource",
      {},
      { cause: error },
    );
  }
  if (error instanceof HTTPException) return fromHttpException(error);
  return undefined;
}

/** Hono's own request errors: unparsable JSON, a body that is not JSON at all. */
function fromHttpException(error: HTTPException): SluiceError | undefined {
  if (error.status === 400 && /json/i.test(error.message)) {
    return new ValidationError("malformed_json", "the request body is not valid JSON", [], { cause: error });
  }
  if (error.status === 415) {
    return new UnsupportedMediaTypeError(
      "unsupported_media_type",
      "send the request body as application/json",
      {
        expected: "application/json",
      },
    );
  }
  return undefined;
}

function errorBody(error: SluiceError): ApiError {
  const details = Object.keys(error.context).length > 0 ? { ...error.context } : undefined;
  return { code: error.code, message: error.message, ...(details ? { details } : {}) };
}

/** Turns zod issues of one request part ("body", "params", "query") into field issues. */
export function toFieldIssues(part: string, error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}

/** A validation failure as a 400 validation_failed error naming the fields. */
export function validationFailed(part: string, error: z.ZodError): ValidationError {
  const issues = toFieldIssues(part, error);
  const first = issues[0];
  const summary = first ? `${first.path}: ${first.message}` : "invalid request";
  return new ValidationError("validation_failed", `invalid request: ${summary}`, issues);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
