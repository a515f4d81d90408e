/**
 * Child process of startS3TestServer: s3rver behind a SigV4 check, on a free loopback port.
 * Runs with --openssl-legacy-provider because s3rver encrypts ListObjectsV2 continuation tokens
 * with DES, which OpenSSL 3 only offers there. Prints {"port": N} once listening; exits when stdin closes.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";
import { checkSigV4 } from "./sigv4-check.js";

const directory = process.argv[2];
if (!directory) throw new Error("usage: s3-test-server-process.ts DIRECTORY");
// s3rver's single built-in account.
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

const s3 = new S3rver({ directory, silent: true });
const handle = s3.callback();
const server = createServer((req, res) => {
  const refusal = checkSigV4(
    { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers },
    credentials,
  );
  if (!refusal) {
    handle(req, res);
    return;
  }
  req.resume();
  res.writeHead(403, { "content-type": "application/xml" });
  res.end(
    req.method === "HEAD"
      ? undefined
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`,
  );
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
