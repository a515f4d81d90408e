import { StorageError, type StorageErrorContext } from "./storage-error.js";

/** Node socket error codes that mean the endpoint could not be reached. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

const CREDENTIAL_CODES = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "InvalidToken",
  "ExpiredToken",
  "TokenRefreshRequired",
  "AuthorizationHeaderMalformed",
]);

interface AwsErrorShape {
  name?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

function errorCode(error: AwsErrorShape): string | undefined {
  return error.Code ?? error.code ?? error.name;
}

/** The socket error code under an SDK error, if any (the SDK may wrap it). */
function socketCode(error: AwsErrorShape): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as AwsErrorShape).code;
    if (code && UNREACHABLE_CODES.has(code)) return code;
    current = (current as AwsErrorShape).cause;
  }
  return undefined;
}

/** The endpoint as shown in messages: no user info, no query. */
export function displayEndpoint(endpoint: string | undefined): string {
  if (!endpoint) return "the default AWS endpoint";
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname === "/" ? "" : url.pathname}`;
  } catch {
    return "the configured endpoint";
  }
}

/**
 * Turns an AWS SDK failure into a StorageError. `notFound` says what a bare 404 means for this
 * call (HEAD answers have no error code): the key, or, once the bucket is known missing, the bucket.
 */
export function storageErrorFromS3(
  error: unknown,
  context: StorageErrorContext,
  endpoint: string | undefined,
  notFound: "key_missing" | "bucket_missing" = "key_missing",
): StorageError {
  if (error instanceof StorageError) return error;
  const shape = (error ?? {}) as AwsErrorShape;
  const code = errorCode(shape);
  const status = shape.$metadata?.httpStatusCode;
  const socket = socketCode(shape);
  if (socket || code === "TimeoutError" || code === "RequestTimeout") {
    return new StorageError("unreachable", context, `${displayEndpoint(endpoint)} (${socket ?? code})`, {
      cause: error,
    });
  }
  if (code === "CredentialsProviderError") {
    return new StorageError("credentials_rejected", context, "no credentials configured or found", {
      cause: error,
    });
  }
  if (code && CREDENTIAL_CODES.has(code)) {
    return new StorageError("credentials_rejected", context, `the server answered ${code}`, { cause: error });
  }
  if (code === "NoSuchBucket")
    return new StorageError("bucket_missing", context, undefined, { cause: error });
  if (code === "NoSuchKey") return new StorageError("key_missing", context, undefined, { cause: error });
  if (code === "AccessDenied" || code === "AllAccessDisabled") {
    return new StorageError("access_denied", context, `the server answered ${code}`, { cause: error });
  }
  if (status === 403) {
    return new StorageError(
      "credentials_rejected",
      context,
      "the server answered 403 (wrong credentials, or no permission)",
      { cause: error },
    );
  }
  if (status === 404) return new StorageError(notFound, context, undefined, { cause: error });
  const detail = status ? `HTTP ${status} ${code ?? ""}`.trim() : (code ?? String(error));
  return new StorageError("failed", context, detail, { cause: error });
}
