import { format } from "node:util";
import { LOG_LEVELS } from "@sluice/contracts";
import { currentScope } from "../context/run-context.js";
import { logForScope } from "./run-logger.js";

type ConsoleMethod = "log" | "info" | "warn" | "error";
const LEVELS: Record<ConsoleMethod, number> = {
  log: LOG_LEVELS.INFO,
  info: LOG_LEVELS.INFO,
  warn: LOG_LEVELS.WARNING,
  error: LOG_LEVELS.ERROR,
};

let users = 0;
let originals: Partial<Record<ConsoleMethod, PropertyDescriptor>> = {};

/**
 * Starts capturing console.log/info/warn/error into run logs for runs with `logPrints` on.
 * Reference counted: the console is restored when the last capturing run ends (`release`).
 * Calls made outside a capturing run go to the original console.
 */
export function captureConsole(): () => void {
  if (users++ === 0) {
    for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
      originals[method] = Object.getOwnPropertyDescriptor(console, method);
      const original = console[method].bind(console);
      console[method] = (...args: unknown[]) => {
        const scope = currentScope();
        if (scope?.logPrints) logForScope(scope, LEVELS[method], format(...args));
        else original(...args);
      };
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0) {
      for (const [method, descriptor] of Object.entries(originals))
        Object.defineProperty(console, method, descriptor);
      originals = {};
    }
  };
}
