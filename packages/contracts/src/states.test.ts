import { describe, expect, it } from "vitest";
import { DEFAULT_STATE_NAMES, isTerminalStateType, NAMED_STATES, StateType } from "./states.js";

describe("states", () => {
  it("has the nine state types", () => {
    expect(StateType.options).toHaveLength(9);
  });

  it("treats exactly COMPLETED, FAILED, CANCELLED and CRASHED as terminal", () => {
    const terminal = StateType.options.filter(isTerminalStateType);
    expect(terminal.sort()).toEqual(["CANCELLED", "COMPLETED", "CRASHED", "FAILED"]);
  });

  it("maps each named state to the type it refines", () => {
    expect(NAMED_STATES.Late).toBe("SCHEDULED");
    expect(NAMED_STATES.AwaitingRetry).toBe("SCHEDULED");
    expect(NAMED_STATES.AwaitingConcurrencySlot).toBe("SCHEDULED");
    expect(NAMED_STATES.Retrying).toBe("RUNNING");
    expect(NAMED_STATES.Cached).toBe("COMPLETED");
    expect(NAMED_STATES.TimedOut).toBe("FAILED");
    expect(NAMED_STATES.Suspended).toBe("PAUSED");
  });

  it("gives every type a default name of that type", () => {
    for (const type of StateType.options) expect(NAMED_STATES[DEFAULT_STATE_NAMES[type]]).toBe(type);
  });
});
