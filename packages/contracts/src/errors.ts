import { z } from "zod";

/**
 * The catalogue of stable error codes. Callers branch on `code`, never on message text.
 * A code is never reused for another meaning; add new ones at the end.
 */
export const ErrorCode = z.enum([
  "internal_error",
  "validation_failed",
  "malformed_json",
  "payload_too_large",
  "not_found",
  "flow_not_found",
  "flow_run_not_found",
  "task_run_not_found",
  "artifact_not_found",
  "invalid_state_transition",
  "state_transition_aborted",
  "invalid_parameters",
  "database_unavailable",
  "conflict",
  "unsupported_media_type",
  "deployment_not_found",
  "work_pool_not_found",
  "work_queue_not_found",
  "invalid_schedule",
  "variable_not_found",
  "block_type_not_found",
  "block_not_found",
  "block_exists",
  "block_type_in_use",
  "block_type_built_in",
  "encryption_key_mismatch",
  "unauthorized",
  "forbidden",
  "too_many_requests",
  "api_key_not_found",
  "flow_run_not_retryable",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One failing field of a request or of flow parameters. */
export const FieldIssue = z.object({
  /** Dotted path to the field, for example "body.parameters.name". */
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The body of every error response. */
export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z
    .object({
      issues: z.array(FieldIssue).optional(),
    })
    .catchall(z.unknown())
    .optional(),
});
export type ApiError = z.infer<typeof ApiError>;
