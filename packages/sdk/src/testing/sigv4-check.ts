import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** What a request must carry to pass: one access key and its secret. */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Why a request was refused: an S3 error code and message. */
export interface SigV4Refusal {
  code: "AccessDenied" | "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "AuthorizationHeaderMalformed";
  message: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value.join(",") : (value ?? "")).trim().replace(/\s+/g, " ");
}

/** The query string in canonical form: pairs sorted by name then value, the signature left out. */
function canonicalQuery(query: string): string {
  if (query === "") return "";
  return query
    .split("&")
    .filter((pair) => pair !== "" && !pair.startsWith("X-Amz-Signature="))
    .map((pair) => (pair.includes("=") ? pair : `${pair}=`))
    .sort()
    .join("&");
}

/**
 * Verifies an AWS Signature Version 4 Authorization header (the form the AWS SDK sends). The test
 * S3 server (s3rver) checks only the access key id, so wrong secrets would pass without this.
 * Returns undefined when the request is signed with `credentials`, else why it is refused.
 */
export function checkSigV4(
  request: { method: string; url: string; headers: IncomingHttpHeaders },
  credentials: SigV4Credentials,
): SigV4Refusal | undefined {
  const authorization = header(request.headers, "authorization");
  if (authorization === "") return { code: "AccessDenied", message: "Anonymous requests are not accepted." };
  const match = AUTH.exec(authorization);
  if (!match) return { code: "AuthorizationHeaderMalformed", message: "Unsupported Authorization header." };
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      code: "InvalidAccessKeyId",
      message: "The AWS Access Key Id you provided does not exist in our records.",
    };
  }
  const [path = "/", query = ""] = request.url.split("?", 2) as [string, string?];
  const names = signedHeaders!.split(";");
  const canonicalRequest = [
    request.method,
    path,
    canonicalQuery(query),
    ...names.map((name) => `${name}:${header(request.headers, name)}`),
    "",
    signedHeaders,
    header(request.headers, "x-amz-content-sha256") || "UNSIGNED-PAYLOAD",
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    header(request.headers, "x-amz-date"),
    scope,
    createHash("sha256").update(canonicalRequest, "utf8").digest("hex"),
  ].join("\n");
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date!);
  for (const part of [region!, service!, "aws4_request"]) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature!, "hex"))) {
    return {
      code: "SignatureDoesNotMatch",
      message: "The request signature we calculated does not match the signature you provided.",
    };
  }
  return undefined;
}
