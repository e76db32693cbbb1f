// Money and time as the pay pages show them. Money is integer cents, always: amounts are formatted with integer
// arithmetic, never through floating point; typed dollars become cents with `parseDollars` (project-workforce.js).
// Moments on the pay pages are UTC, shown as "2026-11-23 14:05:07 UTC".

import { NONE, make } from "./dom.js";
import { parseDollars } from "./project-workforce.js";

export { NONE };

/** "$1,234.56" and "-$0.05" from integer cents (as Money.format on the server); the dash when not a number. */
export function formatMoney(cents) {
  if (typeof cents !== "number" || !Number.isInteger(cents)) return NONE;
  const negative = cents < 0;
  const absolute = Math.abs(cents);
  const dollars = String(Math.floor(absolute / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const rest = String(absolute % 100).padStart(2, "0");
  return `${negative ? "-" : ""}$${dollars}.${rest}`;
}

/** Cents from typed dollars ("45", "45.5", "$1,045.50"; "-3.20" when `negative` is allowed):
 * null when empty, NaN when it is not an amount. */
export function parseAmount(text, { negative = false } = {}) {
  let cleaned = String(text ?? "").trim();
  let sign = 1;
  if (negative && cleaned.startsWith("-")) {
    sign = -1;
    cleaned = cleaned.slice(1).trim();
    if (cleaned === "") return NaN;
  }
  const cents = parseDollars(cleaned);
  if (cents === null || Number.isNaN(cents)) return cents;
  return sign * cents;
}

/** "1:02:03" from seconds. */
export function formatClock(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return NONE;
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60) % 60;
  return `${Math.floor(whole / 3600)}:${String(minutes).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
}

function pad(value, width = 2) {
  return String(value).padStart(width, "0");
}

/** "2026-11-23 14:05:07 UTC" from an ISO-8601 string; the dash when there is none. */
export function formatUTC(iso) {
  if (iso === null || iso === undefined || iso === "") return NONE;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
}

/** A <time> element for an ISO-8601 moment, shown in UTC. */
export function utcTime(iso) {
  const date = new Date(iso ?? NaN);
  if (iso === null || iso === undefined || Number.isNaN(date.getTime())) return document.createTextNode(iso ? String(iso) : NONE);
  return make("time", { datetime: date.toISOString() }, formatUTC(iso));
}

/** The value of a datetime-local input that shows `iso` in UTC: "2026-11-23T14:05:07" ("" for none). */
export function toUTCInput(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T`
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** An ISO-8601 UTC moment ("2026-11-23T14:05:07Z") from a datetime-local value read as UTC; null when empty,
 * NaN when it is not a date and time. */
export function fromUTCInput(value) {
  const text = String(value ?? "").trim();
  if (text === "") return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text);
  if (!match) return NaN;
  const [, year, month, day, hour, minute, second = "00"] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day)) return NaN;
  return `${year}-${month}-${day}T${hour}:${minute}:${second}Z`;
}

/** Lists the problems no input took (field: message) in `list`, showing it only when there are some. */
export function listProblems(list, items) {
  list.replaceChildren();
  for (const item of items) {
    const entry = make("li", { "data-field": item.field ?? "" });
    if (item.field) entry.append(make("code", {}, item.field), ": ");
    entry.append(String(item.message ?? ""));
    list.append(entry);
  }
  list.hidden = items.length === 0;
}
