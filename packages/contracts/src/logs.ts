import { z } from "zod";
import { PageRequest, Page, Timestamp } from "./common.js";
import { MAX_BATCH_ITEMS, MAX_LOG_MESSAGE_CHARS } from "./limits.js";

/** Log levels, as integers (DEBUG 10, INFO 20, WARNING 30, ERROR 40, CRITICAL 50). */
export const LOG_LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;
export type LogLevelName = keyof typeof LOG_LEVELS;

/** A log line of a flow run or task run. */
export const Log = z.object({
  id: z.uuid(),
  flowRunId: z.uuid().nullable(),
  taskRunId: z.uuid().nullable(),
  /** The logger's name, for example "sluice.flow_runs". */
  name: z.string(),
  level: z.number().int().min(0).max(100),
  message: z.string(),
  timestamp: Timestamp,
});
export type Log = z.infer<typeof Log>;

/** A log line to store; `id` makes re-sending harmless. */
export const LogCreate = z.object({
  id: z.uuid().optional(),
  flowRunId: z.uuid().nullable().optional(),
  taskRunId: z.uuid().nullable().optional(),
  name: z.string().min(1).max(200),
  level: z.number().int().min(0).max(100),
  message: z.string().max(MAX_LOG_MESSAGE_CHARS),
  timestamp: Timestamp,
});
export type LogCreate = z.input<typeof LogCreate>;

export const LogBatch = z.object({ logs: z.array(LogCreate).max(MAX_BATCH_ITEMS) });
export type LogBatch = z.input<typeof LogBatch>;

/** Filter for reading logs: in timestamp order, oldest first unless sorted otherwise. */
export const LogFilter = PageRequest.extend({
  flowRunId: z.uuid().optional(),
  taskRunId: z.uuid().optional(),
  /** Only lines at or above this level. */
  levelMin: z.number().int().min(0).max(100).optional(),
  after: Timestamp.optional(),
  before: Timestamp.optional(),
  /** Case-insensitive substring of the message. */
  text: z.string().max(200).optional(),
  sort: z.enum(["TIMESTAMP_ASC", "TIMESTAMP_DESC"]).default("TIMESTAMP_ASC"),
});
export type LogFilter = z.input<typeof LogFilter>;

export const LogPage = Page(Log);
export type LogPage = z.infer<typeof LogPage>;
