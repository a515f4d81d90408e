import { StorageError, type StorageErrorContext } from "./storage-error.js";

/** Why a key is refused, or undefined when it is a clean relative slash-separated path. */
function keyProblem(key: string): string | undefined {
  if (key === "") return "the key is empty";
  if (key.includes("\0")) return "the key contains a NUL character";
  if (key.includes("\\")) return "the key contains a backslash";
  if (key.startsWith("/")) return "the key is absolute (starts with /)";
  if (/^[A-Za-z]:/.test(key)) return "the key starts with a drive letter";
  for (const segment of key.split("/")) {
    if (segment === "") return "the key has an empty segment (// or a trailing /)";
    if (segment === "." || segment === "..") return `the key has a "${segment}" segment`;
  }
  return undefined;
}

/**
 * Checks a key from input: relative, slash-separated, no `.`/`..`/empty segments, no backslash or NUL.
 * Such a key cannot leave the storage's directory or bucket prefix. Throws StorageError (invalid_key).
 */
export function checkStorageKey(key: string, context: StorageErrorContext): string {
  const problem = keyProblem(key);
  if (problem) throw new StorageError("invalid_key", { ...context, key }, problem);
  return key;
}

/** Checks a listing prefix: empty, or a key-like path that may end with "/". */
export function checkStoragePrefix(prefix: string, context: StorageErrorContext): string {
  if (prefix === "") return prefix;
  checkStorageKey(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix, context);
  return prefix;
}

/** Normalises a configured base path ("a/b/", "/a/b") to "a/b" or "", refusing escapes. */
export function normaliseBasePath(basePath: string, context: StorageErrorContext): string {
  const trimmed = basePath.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : checkStorageKey(trimmed, context);
}
