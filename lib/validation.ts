import { z } from "zod";

/**
 * The rules for text and dates that come from outside (forms, REST bodies and
 * query strings, URLs), shared by every schema so that each door refuses the
 * same things with the same words.
 *
 * Refused in every text field:
 * - C0 controls (U+0000–U+001F), DEL and C1 controls (U+007F–U+009F). Postgres
 *   refuses NUL in text, and the others make names that print differently from
 *   what they are (terminal escapes, invisible bells).
 * - Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 *   U+2066–U+2069): they reorder what a reader sees ("Trojan source"), so a key
 *   or user name could pass for another. The plain direction marks (LRM, RLM,
 *   ALM) stay allowed: right-to-left names need them and they cannot reorder text.
 * - Line and paragraph separators (U+2028, U+2029) and lone UTF-16 surrogates
 *   (which the database drivers would silently turn into U+FFFD).
 * Multi-line fields (descriptions) also accept tab, line feed and carriage return.
 * Leading and trailing white space is trimmed first, so a pasted trailing newline is no error.
 */
const SINGLE_LINE_REFUSED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const MULTI_LINE_REFUSED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export const SINGLE_LINE_MESSAGE = "Remove control characters (such as NUL, tabs or line breaks) and text-direction overrides.";
export const MULTI_LINE_MESSAGE = "Remove control characters (such as NUL) and text-direction overrides.";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isSafeText(value: string, { multiline = false } = {}): boolean {
  return !(multiline ? MULTI_LINE_REFUSED : SINGLE_LINE_REFUSED).test(value) && !LONE_SURROGATE.test(value);
}

type SafeTextOptions = {
  /** Makes the field required, with this message when it is empty (after trimming). */
  required?: string;
  tooLong?: string;
  multiline?: boolean;
  /** When the value is missing or not a string. */
  invalidType?: string;
};

/** A trimmed string of at most `max` characters, free of the characters listed above. */
export function safeText(max: number, { required, tooLong = `Use at most ${max} characters.`, multiline = false, invalidType }: SafeTextOptions = {}) {
  const base = z
    .string({ error: invalidType ?? required ?? "Enter text." })
    .trim()
    .refine((s) => isSafeText(s, { multiline }), multiline ? MULTI_LINE_MESSAGE : SINGLE_LINE_MESSAGE);
  return (required ? base.min(1, required) : base).max(max, tooLong);
}

export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;
export const DATE_MESSAGE = "Use a date like 2026-03-01.";

/** A real day of the calendar, as YYYY-MM-DD, between 1970 and 9999 (no February 30th, no year 0). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < MIN_YEAR || year > MAX_YEAR) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function calendarDate(message = DATE_MESSAGE) {
  return z.string({ error: message }).refine(isCalendarDate, message);
}

/** URL search params as Next.js hands them to a page: the first of repeated values. */
export type RawSearchParams = Record<string, string | string[] | undefined>;

/**
 * Parses a page's URL state without failing: a value that does not pass is left
 * out (so its default applies) and its message kept, for the page to say what it
 * ignored. The REST API parses the same fields strictly and answers 422 instead.
 */
export function parseLeniently<S extends z.ZodType>(schema: S, raw: RawSearchParams): { data: z.output<S>; ignored: Record<string, string[]> } {
  const input: Record<string, unknown> = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const ignored: Record<string, string[]> = {};
  // Each round drops at least one field; a refinement across fields may only show once the fields pass.
  for (let round = 0; round <= Object.keys(input).length; round++) {
    const result = schema.safeParse(input);
    if (result.success) return { data: result.data, ignored };
    const fields = new Set<string>();
    for (const issue of result.error.issues) {
      const field = issue.path[0];
      if (typeof field !== "string" || !(field in input) || input[field] === undefined) continue;
      fields.add(field);
      const messages = (ignored[field] ??= []);
      if (!messages.includes(issue.message)) messages.push(issue.message);
    }
    if (!fields.size) break;
    for (const field of fields) input[field] = undefined;
  }
  return { data: schema.parse({}), ignored };
}

/** The password policy, for every form that sets one (setup, change, the ADMIN_PASSWORD variable). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
export const newPasswordSchema = z
  .string({ error: `Use at least ${MIN_PASSWORD_LENGTH} characters.` })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

const uuid = z.uuid();
/** A well-formed uuid (record ids): anything else names no record. */
export const isUuid = (s: string) => uuid.safeParse(s).success;
