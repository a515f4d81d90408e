import { SluiceApiError } from "@sluice/client";

/** Answers undefined for the API's "not found" answer `code` (e.g. "variable_not_found"), rethrowing anything else. */
export async function unlessMissing<T>(code: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof SluiceApiError && error.code === code) return undefined;
    throw error;
  }
}
