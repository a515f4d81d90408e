/** Largest serialised flow-run parameters accepted, in bytes (Prefect's limit too). */
export const MAX_PARAMETERS_BYTES = 512 * 1024;
/** Longest log message accepted, in characters. */
export const MAX_LOG_MESSAGE_CHARS = 1_000_000;
/** Largest request body the server reads, in bytes. */
export const MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;
/** Most task runs, states or logs in one batch request. */
export const MAX_BATCH_ITEMS = 20_000;
/** Default and largest page sizes for listings. */
export const DEFAULT_PAGE_LIMIT = 200;
export const MAX_PAGE_LIMIT = 1000;
