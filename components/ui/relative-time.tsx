"use client";

import { useSyncExternalStore } from "react";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relative = new Intl.RelativeTimeFormat("en-US", { numeric: "always" });

/** "3 minutes ago", "in 45 days": days up to four months, since keys expire in days. */
export function formatRelative(at: number, now: number): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  if (abs < 45 * SECOND) return diff <= 0 ? "just now" : "in a few seconds";
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    abs < 45 * MINUTE
      ? [abs / MINUTE, "minute"]
      : abs < 22 * HOUR
        ? [abs / HOUR, "hour"]
        : abs < 120 * DAY
          ? [abs / DAY, "day"]
          : abs < 700 * DAY
            ? [abs / (30.44 * DAY), "month"]
            : [abs / (365.25 * DAY), "year"];
  return relative.format(Math.sign(diff) * Math.max(1, Math.round(value)), unit);
}

/** The exact time in the viewer's time zone, e.g. "Jan 5, 2026, 14:22 EST". */
export function formatExact(at: Date, timeZone?: string): string {
  return at.toLocaleString("en-US", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
    timeZone,
  });
}

// One clock for every time on the page, read again every 30 seconds while any is shown.
let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, 30 * SECOND);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
const getNow = () => now || (now = Date.now());
// The server does not know the viewer's clock or time zone: it (and hydration) shows UTC.
const getServerNow = () => null;

/**
 * A point in time as "3 minutes ago" / "in 45 days", with the exact time in
 * the viewer's time zone on hover. The server and the hydrating browser render
 * the exact UTC time; the browser switches after hydration, so they never disagree.
 */
export function RelativeTime({ value, empty = "—", className }: { value: string | Date | null | undefined; empty?: string; className?: string }) {
  const current = useSyncExternalStore(subscribe, getNow, getServerNow);
  if (!value) return <span className={className}>{empty}</span>;
  const at = typeof value === "string" ? new Date(value) : value;
  const hydrated = current !== null;
  const exact = formatExact(at, hydrated ? undefined : "UTC");
  return (
    <time dateTime={at.toISOString()} title={exact} className={className}>
      {hydrated ? formatRelative(at.getTime(), current) : exact}
    </time>
  );
}

/** "Dec 1, 14:59" in the viewer's time zone (the year only when it is not this year). */
export function formatShort(at: Date, now: number, timeZone?: string): string {
  const year = (d: Date) => d.toLocaleString("en-US", { year: "numeric", timeZone });
  return at.toLocaleString("en-US", {
    ...(year(at) === year(new Date(now)) ? {} : { year: "numeric" }),
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  });
}

/**
 * A point in time as it was: the exact time ("Jan 5, 2026, 14:22 EST") or the
 * short one ("Dec 1, 14:59"), in the viewer's time zone once hydrated (UTC,
 * said so, before), with the exact time on hover.
 */
export function LocalTime({ value, format = "exact", className }: { value: string | Date; format?: "exact" | "short"; className?: string }) {
  const current = useSyncExternalStore(subscribe, getNow, getServerNow);
  const at = typeof value === "string" ? new Date(value) : value;
  const zone = current === null ? "UTC" : undefined;
  const exact = formatExact(at, zone);
  const shown = format === "exact" ? exact : `${formatShort(at, current ?? at.getTime(), zone)}${zone ? " UTC" : ""}`;
  return (
    <time dateTime={at.toISOString()} title={exact} className={className}>
      {shown}
    </time>
  );
}
