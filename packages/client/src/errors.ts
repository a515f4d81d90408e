import type { ErrorCode, FieldIssue } from "@sluice/contracts";

/** Base class of every error the client throws. */
export class SluiceClientError extends Error {
  override readonly name: string = "SluiceClientError";
}

/** The server answered with an error body; branch on `code`, never on the message. */
export class SluiceApiError extends SluiceClientError {
  override readonly name = "SluiceApiError";
  constructor(
    /** HTTP status of the response. */
    readonly status: number,
    /** Stable error code from the contracts' ErrorCode catalogue. */
    readonly code: ErrorCode,
    message: string,
    /** Extra facts, such as the failing fields in `details.issues`. */
    readonly details: ({ issues?: FieldIssue[] | undefined } & Record<string, unknown>) | undefined,
    /** The route's operation id. */
    readonly operationId: string,
  ) {
    super(message);
  }
}

/** The server could not be reached (after all retries), or the request timed out. */
export class SluiceConnectionError extends SluiceClientError {
  override readonly name = "SluiceConnectionError";
  constructor(
    message: string,
    readonly operationId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The server answered 2xx with a body that does not match the route's response schema. */
export class SluiceResponseError extends SluiceClientError {
  override readonly name = "SluiceResponseError";
  constructor(
    message: string,
    readonly operationId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
