import type { Clock } from "../clock.js";

/** A clock tests move by hand. */
export interface TestClock extends Clock {
  /** Sets the time. */
  set(time: Date | string): void;
  /** Moves the time forward by `ms`. */
  advance(ms: number): void;
}

/** A test clock starting at `start` (default the current time). */
export function createTestClock(start: Date | string = new Date()): TestClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (time) => {
      current = new Date(time).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
