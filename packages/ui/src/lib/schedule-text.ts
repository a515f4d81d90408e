import type { Schedule } from "@sluice/contracts";

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const RRULE_DAYS: Record<string, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};

/** "90 s", "5 min", "1 h 30 min", "2 days". */
export function describeSeconds(total: number): string {
  if (total < 60 || total % 60 !== 0) return `${total} s`;
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const parts: string[] = [];
  if (days) parts.push(`${days} day${days === 1 ? "" : "s"}`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  return parts.join(" ");
}

const isNumber = (field: string) => /^\d+$/.test(field);
const time = (hour: string, minute: string) => `${hour.padStart(2, "0")}:${minute.padStart(2, "0")}`;

function describeDays(dayOfWeek: string): string | undefined {
  if (dayOfWeek === "1-5") return "on weekdays";
  const days = dayOfWeek.split(",");
  if (!days.every((d) => /^[0-7]$/.test(d))) return undefined;
  return `on ${days.map((d) => DAY_NAMES[Number(d) % 7]).join(", ")}`;
}

const NICKNAMES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** Common five-field cron shapes (and `@daily`-style nicknames) in words; undefined for the others. */
export function describeCron(cron: string): string | undefined {
  const expression = NICKNAMES[cron.trim().toLowerCase()] ?? cron;
  if (expression === "0 0 1 1 *") return "at 00:00 on January 1";
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (month !== "*") return undefined;
  const everyDay = dayOfMonth === "*" && dayOfWeek === "*";
  if (everyDay && hour === "*") {
    if (minute === "*") return "every minute";
    const step = /^\*\/(\d+)$/.exec(minute);
    if (step) return `every ${step[1]} minutes`;
    if (isNumber(minute)) return `every hour at minute ${minute}`;
    return undefined;
  }
  const hourStep = /^\*\/(\d+)$/.exec(hour);
  if (everyDay && hourStep && isNumber(minute)) return `every ${hourStep[1]} hours at minute ${minute}`;
  if (!isNumber(minute) || !isNumber(hour)) return undefined;
  const at = `at ${time(hour, minute)}`;
  if (everyDay) return `${at} every day`;
  if (dayOfMonth === "*") {
    const days = describeDays(dayOfWeek);
    return days && `${at} ${days}`;
  }
  if (dayOfWeek === "*" && isNumber(dayOfMonth)) return `${at} on day ${dayOfMonth} of each month`;
  return undefined;
}

/** An RRULE's frequency, interval and days in words; undefined when it says more than that. */
export function describeRRule(rrule: string): string | undefined {
  const line = rrule.split(/\r?\n/).find((l) => l.startsWith("RRULE:")) ?? rrule;
  const parts = new Map(
    line
      .replace(/^RRULE:/, "")
      .split(";")
      .map((p) => p.split("=") as [string, string]),
  );
  const freq = parts.get("FREQ");
  const units: Record<string, string> = {
    SECONDLY: "second",
    MINUTELY: "minute",
    HOURLY: "hour",
    DAILY: "day",
    WEEKLY: "week",
    MONTHLY: "month",
    YEARLY: "year",
  };
  const unit = freq && units[freq];
  if (!unit) return undefined;
  const interval = Number(parts.get("INTERVAL") ?? "1");
  let text = interval === 1 ? `every ${unit}` : `every ${interval} ${unit}s`;
  const byDay = parts.get("BYDAY");
  if (byDay) {
    const days = byDay.split(",").map((d) => RRULE_DAYS[d]);
    if (days.some((d) => d === undefined)) return undefined;
    text += ` on ${days.join(", ")}`;
  }
  const hour = parts.get("BYHOUR");
  if (hour && isNumber(hour)) text += ` at ${time(hour, parts.get("BYMINUTE") ?? "0")}`;
  const count = parts.get("COUNT");
  if (count) text += `, ${count} times`;
  const until = parts.get("UNTIL");
  if (until) text += `, until ${until}`;
  return text;
}

/** A schedule in words with its time zone, for example "every 5 minutes (UTC)". */
export function describeSchedule(schedule: Schedule): { summary: string; expression: string } {
  switch (schedule.kind) {
    case "cron":
      return {
        summary: `${describeCron(schedule.cron) ?? `cron ${schedule.cron}`} (${schedule.timezone})`,
        expression: schedule.cron,
      };
    case "interval":
      return {
        summary: `every ${describeSeconds(schedule.seconds)} (${schedule.timezone})`,
        expression: `${schedule.seconds} s${schedule.anchorDate ? ` from ${schedule.anchorDate}` : ""}`,
      };
    case "rrule":
      return {
        summary: `${describeRRule(schedule.rrule) ?? "rrule"} (${schedule.timezone})`,
        expression: schedule.rrule,
      };
  }
}
