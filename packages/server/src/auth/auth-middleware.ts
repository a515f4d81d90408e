import type { IncomingMessage } from "node:http";
import { PUBLIC_API_PATHS, scopeIncludes, type ApiError } from "@sluice/contracts";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "../logger.js";
import type { ApiKeyAuthenticator } from "./api-key-authenticator.js";
import type { FailureLimiter } from "./failure-limiter.js";
import { requiredScope } from "./required-scope.js";

/** The one answer to a missing, wrong, expired or revoked key: the same for all, so nothing is revealed. */
const UNAUTHORIZED: ApiError = { code: "unauthorized", message: "a valid API key is required" };

/** Longest bearer token looked at; anything longer is refused without hashing it. */
const MAX_KEY_CHARS = 512;

/**
 * Requires an API key with enough scope on every /api/* route but the probes, once authentication
 * is on. Failures are logged without the key and counted per client address; an address with too
 * many failures gets 429 until its window ends, without its key being checked.
 */
export function authMiddleware(deps: {
  authenticator: Pick<ApiKeyAuthenticator, "isEnabled" | "authenticate">;
  limiter: FailureLimiter;
  logger: Logger;
}): MiddlewareHandler {
  const { authenticator, limiter, logger } = deps;
  return async (c, next) => {
    if (PUBLIC_API_PATHS.includes(c.req.path) || !(await authenticator.isEnabled())) return next();
    const client = clientAddress(c);
    const retryAfter = limiter.retryAfterSeconds(client);
    if (retryAfter > 0) {
      c.header("Retry-After", String(retryAfter));
      const body: ApiError = {
        code: "too_many_requests",
        message: `too many failed authentication attempts; retry in ${retryAfter} s`,
        details: { retryAfterSeconds: retryAfter },
      };
      return c.json(body, 429);
    }
    const principal = await authenticator.authenticate(bearerKey(c.req.header("authorization")));
    if (typeof principal === "string") {
      // Never the key, nor any part of it: only who asked for what, and why it failed.
      logger.warn("authentication failed", {
        client,
        method: c.req.method,
        path: c.req.path,
        reason: principal,
      });
      if (limiter.recordFailure(client)) {
        logger.warn(
          "too many failed authentication attempts; blocking the client for the rest of the window",
          {
            client,
          },
        );
      }
      c.header("WWW-Authenticate", "Bearer");
      return c.json(UNAUTHORIZED, 401);
    }
    const need = requiredScope(c.req.method, c.req.path, c.req.query("includeSecrets") === "true");
    if (!scopeIncludes(principal.scope, need)) {
      const body: ApiError = {
        code: "forbidden",
        message: `this needs the ${need} scope; the API key has the ${principal.scope} scope`,
        details: { requiredScope: need, scope: principal.scope },
      };
      return c.json(body, 403);
    }
    return next();
  };
}

/** The key of an `Authorization: Bearer <key>` header, or undefined. */
function bearerKey(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  const key = match?.[1];
  // An over-long key is not hashed; "" matches no key, so it is refused like any wrong one.
  return key !== undefined && key.length > MAX_KEY_CHARS ? "" : key;
}

/** The socket's remote address; X-Forwarded-For is not trusted (any client can set it). */
function clientAddress(c: Context): string {
  // @hono/node-server passes the Node request as `incoming`; absent only for app.request in unit tests.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket.remoteAddress ?? "unknown";
}
