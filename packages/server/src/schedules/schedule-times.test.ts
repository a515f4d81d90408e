import type { ScheduleInput } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { computeScheduleTimes, describeScheduleProblem } from "./schedule-times.js";

const times = (schedule: ScheduleInput, after: string, before: string, limit = 50) =>
  computeScheduleTimes(schedule, { after: new Date(after), before: new Date(before), limit }).map((d) =>
    d.toISOString(),
  );

describe("cron schedules", () => {
  it("names the times in the window, both ends included, up to the limit", () => {
    const cron: ScheduleInput = { kind: "cron", cron: "*/15 * * * *" };
    expect(times(cron, "2024-01-01T00:00:00Z", "2024-01-01T00:45:00Z")).toEqual([
      "2024-01-01T00:00:00.000Z",
      "2024-01-01T00:15:00.000Z",
      "2024-01-01T00:30:00.000Z",
      "2024-01-01T00:45:00.000Z",
    ]);
    expect(times(cron, "2024-01-01T00:00:01Z", "2024-01-01T01:00:00Z", 2)).toEqual([
      "2024-01-01T00:15:00.000Z",
      "2024-01-01T00:30:00.000Z",
    ]);
  });

  it("keeps local time in its time zone across daylight-saving changes", () => {
    const cron: ScheduleInput = { kind: "cron", cron: "0 9 * * *", timezone: "America/New_York" };
    expect(times(cron, "2024-03-09T00:00:00Z", "2024-03-11T23:00:00Z")).toEqual([
      "2024-03-09T14:00:00.000Z", // EST, UTC-5
      "2024-03-10T13:00:00.000Z", // EDT, UTC-4
      "2024-03-11T13:00:00.000Z",
    ]);
  });

  it("runs a fixed time skipped by spring-forward once after the gap, and a repeated one once", () => {
    const skipped: ScheduleInput = { kind: "cron", cron: "30 2 * * *", timezone: "America/New_York" };
    expect(times(skipped, "2024-03-10T00:00:00Z", "2024-03-10T23:59:00Z")).toEqual([
      "2024-03-10T07:00:00.000Z",
    ]);
    const repeated: ScheduleInput = { kind: "cron", cron: "30 1 * * *", timezone: "America/New_York" };
    expect(times(repeated, "2024-11-03T00:00:00Z", "2024-11-03T23:59:00Z")).toEqual([
      "2024-11-03T05:30:00.000Z",
    ]);
  });

  it("combines day-of-month and day-of-week with OR by default and AND when dayOr is false", () => {
    const fridayThe13th: ScheduleInput = { kind: "cron", cron: "0 0 13 * 5", dayOr: false };
    expect(times(fridayThe13th, "2024-01-01T00:00:00Z", "2025-12-31T00:00:00Z")).toEqual([
      "2024-09-13T00:00:00.000Z",
      "2024-12-13T00:00:00.000Z",
      "2025-06-13T00:00:00.000Z",
    ]);
    const either: ScheduleInput = { kind: "cron", cron: "0 0 13 * 5" };
    expect(times(either, "2024-01-01T00:00:00Z", "2024-01-31T00:00:00Z")).toEqual([
      "2024-01-05T00:00:00.000Z",
      "2024-01-12T00:00:00.000Z",
      "2024-01-13T00:00:00.000Z",
      "2024-01-19T00:00:00.000Z",
      "2024-01-26T00:00:00.000Z",
    ]);
  });
});

describe("interval schedules", () => {
  it("counts exact durations from the anchor when shorter than a day", () => {
    const every90: ScheduleInput = { kind: "interval", seconds: 5400, anchorDate: "2024-01-01T00:10:00Z" };
    expect(times(every90, "2024-01-02T00:00:00Z", "2024-01-02T04:00:00Z")).toEqual([
      "2024-01-02T00:10:00.000Z",
      "2024-01-02T01:40:00.000Z",
      "2024-01-02T03:10:00.000Z",
    ]);
    // Hourly stays hourly in real time through spring-forward (the local clock skips 02:00).
    const hourly: ScheduleInput = { kind: "interval", seconds: 3600, timezone: "America/New_York" };
    expect(times(hourly, "2024-03-10T05:30:00Z", "2024-03-10T08:00:00Z")).toEqual([
      "2024-03-10T06:00:00.000Z",
      "2024-03-10T07:00:00.000Z",
      "2024-03-10T08:00:00.000Z",
    ]);
  });

  it("keeps the anchor's wall-clock time when a day or longer", () => {
    const daily: ScheduleInput = {
      kind: "interval",
      seconds: 86_400,
      anchorDate: "2024-03-01T09:00:00-05:00",
      timezone: "America/New_York",
    };
    expect(times(daily, "2024-03-09T00:00:00Z", "2024-03-11T23:00:00Z")).toEqual([
      "2024-03-09T14:00:00.000Z",
      "2024-03-10T13:00:00.000Z",
      "2024-03-11T13:00:00.000Z",
    ]);
  });

  it("anchors at 2020-01-01 00:00 in its time zone by default", () => {
    const daily: ScheduleInput = { kind: "interval", seconds: 86_400, timezone: "Europe/Berlin" };
    expect(times(daily, "2024-07-01T00:00:00Z", "2024-07-02T23:00:00Z")).toEqual([
      "2024-07-01T22:00:00.000Z",
      "2024-07-02T22:00:00.000Z",
    ]);
  });
});

describe("rrule schedules", () => {
  it("reads BYHOUR in its time zone across daylight-saving changes", () => {
    const rrule: ScheduleInput = {
      kind: "rrule",
      rrule: "FREQ=DAILY;BYHOUR=9;BYMINUTE=0",
      timezone: "America/New_York",
    };
    expect(times(rrule, "2024-03-09T00:00:00Z", "2024-03-11T23:00:00Z")).toEqual([
      "2024-03-09T14:00:00.000Z",
      "2024-03-10T13:00:00.000Z",
      "2024-03-11T13:00:00.000Z",
    ]);
  });

  it("honours COUNT from DTSTART and UNTIL given in UTC, with DTSTART's TZID", () => {
    const counted: ScheduleInput = {
      kind: "rrule",
      rrule: "DTSTART;TZID=Europe/Berlin:20240101T090000\nRRULE:FREQ=WEEKLY;COUNT=3",
    };
    expect(times(counted, "2023-01-01T00:00:00Z", "2030-01-01T00:00:00Z")).toEqual([
      "2024-01-01T08:00:00.000Z",
      "2024-01-08T08:00:00.000Z",
      "2024-01-15T08:00:00.000Z",
    ]);
    const until: ScheduleInput = {
      kind: "rrule",
      rrule: "DTSTART:20241101T013000\nRRULE:FREQ=DAILY;UNTIL=20241104T000000Z",
      timezone: "America/New_York",
    };
    // UNTIL is 2024-11-03 19:00 local; the repeated 01:30 of Nov 3 runs at its first occurrence.
    expect(times(until, "2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z")).toEqual([
      "2024-11-01T05:30:00.000Z",
      "2024-11-02T05:30:00.000Z",
      "2024-11-03T05:30:00.000Z",
    ]);
  });

  it("leaves out EXDATE times", () => {
    const rrule: ScheduleInput = {
      kind: "rrule",
      rrule: "DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY;COUNT=3\nEXDATE:20240102T090000Z",
    };
    expect(times(rrule, "2023-01-01T00:00:00Z", "2030-01-01T00:00:00Z")).toEqual([
      "2024-01-01T09:00:00.000Z",
      "2024-01-03T09:00:00.000Z",
    ]);
  });

  it("names the same times for a minutely rule years after its start as cron does", () => {
    const after = "2026-05-01T10:07:00Z";
    const before = "2026-05-01T12:00:00Z";
    const rrule = times({ kind: "rrule", rrule: "FREQ=MINUTELY;INTERVAL=15" }, after, before);
    expect(rrule).toHaveLength(8);
    expect(rrule).toEqual(times({ kind: "cron", cron: "*/15 * * * *" }, after, before));
  });
});

describe("describeScheduleProblem", () => {
  it("accepts valid schedules", () => {
    const valid: ScheduleInput[] = [
      { kind: "cron", cron: "0 9 * * MON-FRI", timezone: "Europe/Berlin" },
      { kind: "cron", cron: "@daily" },
      { kind: "interval", seconds: 600, anchorDate: "2025-01-01T00:00:00Z", timezone: "Asia/Tokyo" },
      { kind: "rrule", rrule: "DTSTART:20250101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,-1FR;COUNT=10" },
    ];
    for (const schedule of valid) expect(describeScheduleProblem(schedule)).toBeUndefined();
  });

  it.each([
    [{ kind: "cron", cron: "61 * * * *" }, "cron", /minute: 61/],
    [{ kind: "cron", cron: "* * * *" }, "cron", /4 fields; expected five/],
    [{ kind: "cron", cron: "0 0 30 2 *" }, "cron", /never matches/],
    [
      { kind: "cron", cron: "0 9 * * *", timezone: "Mars/Olympus" },
      "timezone",
      /unknown time zone "Mars\/Olympus"/,
    ],
    [{ kind: "interval", seconds: 60, timezone: "Nowhere" }, "timezone", /unknown time zone/],
    [{ kind: "rrule", rrule: "FREQ=DAILY;INTERVAL=x" }, "rrule", /INTERVAL=X/],
    [{ kind: "rrule", rrule: "FREQ=FORTNIGHTLY" }, "rrule", /FREQ=FORTNIGHTLY/],
    [{ kind: "rrule", rrule: "FREQ=WEEKLY;BYDAY=MO,XX" }, "rrule", /"XX" is not a weekday/],
    [{ kind: "rrule", rrule: "FREQ=DAILY;BYHOUR=24" }, "rrule", /BYHOUR=24/],
    [{ kind: "rrule", rrule: "FREQ=DAILY;FOO=1" }, "rrule", /unknown rrule part FOO/],
    [{ kind: "rrule", rrule: "FREQ=DAILY;COUNT=3" }, "rrule", /COUNT needs a DTSTART/],
    [
      { kind: "rrule", rrule: "DTSTART:20250101\nRRULE:FREQ=DAILY;COUNT=3;UNTIL=20250110" },
      "rrule",
      /not both/,
    ],
    [
      { kind: "rrule", rrule: "DTSTART;TZID=Moon/Base:20250101T000000\nRRULE:FREQ=DAILY" },
      "rrule",
      /Moon\/Base/,
    ],
    [{ kind: "rrule", rrule: "DTSTART:20250231T000000\nRRULE:FREQ=DAILY" }, "rrule", /no such date/],
  ] as const)("reports %j as a problem of %s", (schedule, field, message) => {
    const problem = describeScheduleProblem(schedule);
    expect(problem?.field).toBe(field);
    expect(problem?.message).toMatch(message);
  });

  it("makes computeScheduleTimes throw for the same schedules", () => {
    const window = { after: new Date(), before: new Date(Date.now() + 86_400_000), limit: 3 };
    expect(() =>
      computeScheduleTimes({ kind: "cron", cron: "0 9 * * *", timezone: "Nowhere" }, window),
    ).toThrow(/unknown time zone/);
  });
});
