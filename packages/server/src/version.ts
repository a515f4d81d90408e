/** This server's release version (kept equal to packages/server/package.json). */
export const SERVER_VERSION = "0.1.0";
