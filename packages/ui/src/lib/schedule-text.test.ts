import { describe, expect, it } from "vitest";
import { describeCron, describeRRule, describeSchedule, describeSeconds } from "./schedule-text.js";

describe("schedules in words", () => {
  it("describes common cron shapes and leaves the others as written", () => {
    expect(describeCron("* * * * *")).toBe("every minute");
    expect(describeCron("*/5 * * * *")).toBe("every 5 minutes");
    expect(describeCron("15 * * * *")).toBe("every hour at minute 15");
    expect(describeCron("0 */2 * * *")).toBe("every 2 hours at minute 0");
    expect(describeCron("30 9 * * *")).toBe("at 09:30 every day");
    expect(describeCron("0 9 * * 1-5")).toBe("at 09:00 on weekdays");
    expect(describeCron("0 9 * * 1,3")).toBe("at 09:00 on Monday, Wednesday");
    expect(describeCron("0 6 1 * *")).toBe("at 06:00 on day 1 of each month");
    expect(describeCron("0 6 1 1 *")).toBeUndefined();
    expect(describeCron("@daily")).toBe("at 00:00 every day");
    expect(describeCron("@hourly")).toBe("every hour at minute 0");
    expect(describeCron("@weekly")).toBe("at 00:00 on Sunday");
    expect(describeCron("@yearly")).toBe("at 00:00 on January 1");
    expect(describeSchedule({ kind: "cron", cron: "0 6 1 1 *", timezone: "UTC", dayOr: true }).summary).toBe(
      "cron 0 6 1 1 * (UTC)",
    );
  });

  it("describes intervals and rrules with their time zone", () => {
    expect(describeSeconds(90)).toBe("90 s");
    expect(describeSeconds(5400)).toBe("1 h 30 min");
    expect(describeSeconds(172_800)).toBe("2 days");
    expect(describeSchedule({ kind: "interval", seconds: 300, timezone: "Europe/Oslo" }).summary).toBe(
      "every 5 min (Europe/Oslo)",
    );
    expect(describeRRule("FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=8")).toBe("every week on Monday, Friday at 08:00");
    expect(describeRRule("RRULE:FREQ=DAILY;INTERVAL=2;COUNT=5")).toBe("every 2 days, 5 times");
    expect(describeSchedule({ kind: "rrule", rrule: "FREQ=HOURLY", timezone: "UTC" }).summary).toBe(
      "every hour (UTC)",
    );
  });
});
