import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Caller } from "@/lib/caller";
import { userFacing } from "@/lib/errors";
import { requireAdmin, requireUser } from "./guards";

/**
 * The one shape of a server action. Every action is a public POST endpoint,
 * so the kit does what each must do, in order, inside the action itself:
 *
 *   who (the Caller, or off to /login; admin-only actions 404 for others) →
 *   what (the form parsed, field errors back to their fields) →
 *   one call into lib/ (which asks lib/policy again) →
 *   revalidate → one small result, never a database row.
 *
 * Errors a user can fix come back in their words; anything else is logged
 * once (lib/errors userFacing, the same mapper as the REST API) and answered
 * with a generic sentence.
 */
export type ActionResult<D extends object = object> = {
  /** Set on every answer; a form's initial state is `{}`. */
  ok?: boolean;
  /** Changes on every submission, so that a dialog can react to each result. */
  at?: number;
  message?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  /** What was submitted, so that a form shows it again after React resets it. */
  values?: Record<string, string>;
} & Partial<D>;

export type Who = "user" | "admin" | "pending-password-change";

export type Parsed<I> = { ok: true; input: I } | { ok: false; fieldErrors?: Record<string, string[]>; message?: string };

type Spec<I, D extends object> = {
  who: Who;
  /** Turns the form into the lib/ function's input. */
  parse: (form: FormData) => Parsed<I>;
  /** Echoed back on failure, so the form keeps what was typed. */
  values?: (form: FormData) => Record<string, string>;
  /** One call into lib/; what it returns goes to the browser: a sentence (`message`, shown as a toast) and small fields, never a row. */
  run: (caller: Caller, input: I) => Promise<D & { message?: string }>;
  revalidate?: string;
  /** Names the action in the log when something unexpected fails. */
  name: string;
};

export function callerFor(who: Who): Promise<Caller> {
  if (who === "admin") return requireAdmin();
  return requireUser({ allowPendingPasswordChange: who === "pending-password-change" });
}

/** A form's server action: `export const fooAction = formAction({ … })` in an actions.ts. */
export function formAction<I, D extends object = object>(spec: Spec<I, D>) {
  return async (_previous: ActionResult<D> | undefined, form: FormData): Promise<ActionResult<D>> => {
    const caller = await callerFor(spec.who);
    const values = spec.values?.(form);
    const parsed = spec.parse(form);
    if (!parsed.ok) return { ok: false, at: Date.now(), fieldErrors: parsed.fieldErrors, message: parsed.message, values } as ActionResult<D>;
    return perform(spec.name, spec.revalidate, values, () => spec.run(caller, parsed.input));
  };
}

/** An action called with plain arguments (a button, not a form): the same guard, errors and result. */
export async function commandAction<D extends object>(who: Who, name: string, run: (caller: Caller) => Promise<D>, revalidate?: string): Promise<ActionResult<D>> {
  const caller = await callerFor(who);
  return perform(name, revalidate, undefined, () => run(caller));
}

async function perform<D extends object>(name: string, revalidate: string | undefined, values: Record<string, string> | undefined, work: () => Promise<D & { message?: string }>): Promise<ActionResult<D>> {
  try {
    const result = await work();
    if (revalidate) revalidatePath(revalidate);
    return { ...result, ok: true, at: Date.now() } as ActionResult<D>;
  } catch (error) {
    const { message, fieldErrors } = userFacing(error, name);
    return { ok: false, at: Date.now(), message: fieldErrors ? undefined : message, fieldErrors, values } as ActionResult<D>;
  }
}

/** A zod result as the kit's Parsed: nested paths (memberships.0.roleId) reported on their first field. */
export function parsedBy<I>(result: z.ZodSafeParseResult<I>): Parsed<I> {
  if (result.success) return { ok: true, input: result.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const list = (fieldErrors[String(issue.path[0] ?? "form")] ??= []);
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  return { ok: false, fieldErrors };
}

/**
 * The record the form names (a uuid in `field`) with the rest of its input. A
 * malformed id is a record that does not exist: `unknown` says so in the same
 * words as lib/ uses for a record the caller may not see.
 */
export function withRecordId<T extends object>(form: FormData, field: string, unknown: string, rest: () => Parsed<T> = () => ({ ok: true, input: {} as T })): Parsed<T & { id: string }> {
  const id = z.uuid().safeParse(form.get(field));
  if (!id.success) return { ok: false, message: unknown };
  const input = rest();
  return input.ok ? { ok: true, input: { ...input.input, id: id.data } } : input;
}

/** The form's text fields, as typed. */
export function textValues(form: FormData, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? "")]));
}
