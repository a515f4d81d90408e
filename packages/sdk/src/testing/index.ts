/**
 * @sluice/sdk/testing: helpers for tests of code built on the SDK (source only, not in the build).
 *
 * @example
 * import { startS3TestServer } from "@sluice/sdk/testing";
 * const s3 = await startS3TestServer({ buckets: ["sluice-results"] });
 * const storage = s3.storage("sluice-results");
 * await storage.write("a.txt", "hello");
 * await s3.close();
 */
export { startS3TestServer, type S3TestServer } from "./s3-test-server.js";
export { checkSigV4, type SigV4Credentials, type SigV4Refusal } from "./sigv4-check.js";
export { startSdkTestServer, waitFor, type SdkTestContext } from "./sdk-test-server.js";
