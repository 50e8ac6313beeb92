/**
 * Errors a user can act on. Pages and server actions show `message` (or the
 * field errors next to their fields); the REST API maps `code` and `status`
 * to problem+json. Anything else is a bug: logged, and shown as a short
 * generic message.
 */
/** The problem codes a DomainError carries (each explained at /api-docs/problems). */
export type DomainCode = "not_found" | "forbidden" | "conflict" | "validation_failed" | "database_unavailable";

export class DomainError extends Error {
  constructor(
    message: string,
    readonly code: DomainCode,
    readonly status: number,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message = "Not found.") {
    super(message, "not_found", 404);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(message, "forbidden", 403);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(message, "conflict", 409);
  }
}

export class ValidationError extends DomainError {
  constructor(fieldErrors: Record<string, string[]>, message = Object.values(fieldErrors).flat().join(" ")) {
    super(message, "validation_failed", 422, fieldErrors);
  }
}

/** The limit of the organization's key policy a request went past (`limit` in the 422 problem). */
export type PolicyLimit = { name: "maxLifetimeDays" | "allowNoExpiry" | "maxGraceSeconds" | "maxAccountKeyLifetimeDays"; value: number | boolean | null };

/** Bad input because the key policy forbids it: a 422 whose problem names the limit. */
export class PolicyLimitError extends ValidationError {
  constructor(
    field: string,
    message: string,
    readonly limit: PolicyLimit,
  ) {
    super({ [field]: [message] }, message);
  }
}

export const DATABASE_UNAVAILABLE = "Latchkey cannot reach its database right now. Try again in a moment, and tell an administrator if it keeps happening.";

/** The database is down, unreachable, frozen or shutting down: nothing the user did, and it passes by itself. */
export class DatabaseUnavailableError extends DomainError {
  constructor(readonly reason: string) {
    super(DATABASE_UNAVAILABLE, "database_unavailable", 503);
  }
}

/**
 * Connection refused, lost or timed out (the driver's codes and errno), the
 * server shutting down or refusing connections (SQLSTATE class 08, 57P01-03,
 * 53300), a statement or idle transaction cut by its timeout (57014, 25P03).
 */
const UNAVAILABLE = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE",
  "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED",
  "57P01", "57P02", "57P03", "57014", "25P03", "53300",
]);

/** The one classification of "the database is unavailable": its code, or undefined for any other error. */
export function unavailableCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === "string" ? e.code : undefined;
    // By shape as well: Next's bundle and server.ts each load their own copy of this class.
    if (e instanceof DatabaseUnavailableError || code === "database_unavailable") return String((e as { reason?: unknown }).reason ?? code);
    if (code && (UNAVAILABLE.has(code) || code.startsWith("08"))) return code;
  }
  return undefined;
}

/**
 * A failed query as it may be logged and shown: the SQLSTATE (or the
 * driver's code), the constraint and the database's message. Drizzle's own
 * error carries the query's parameters (password hashes, session ids) in its
 * message; lib/db/client.ts swaps it for this one before anyone sees it.
 */
export class DatabaseError extends Error {
  readonly code: string | undefined;
  readonly constraint_name: string | undefined;
  constructor(driverError: unknown) {
    const e = (driverError ?? {}) as { code?: unknown; constraint_name?: unknown; constraint?: unknown; message?: unknown };
    const code = typeof e.code === "string" ? e.code : undefined;
    const constraint = typeof e.constraint_name === "string" ? e.constraint_name : typeof e.constraint === "string" ? e.constraint : undefined;
    super(`database error${code ? ` ${code}` : ""}${constraint ? ` (constraint ${constraint})` : ""}: ${typeof e.message === "string" ? e.message : "unknown"}`);
    this.name = "DatabaseError";
    this.code = code;
    this.constraint_name = constraint;
  }
}

/** What a driver or drizzle error becomes before it leaves lib/db: DatabaseUnavailableError or DatabaseError, never the query's parameters. */
export function databaseErrorOf(error: unknown): Error {
  const code = unavailableCode(error);
  if (code) return error instanceof DatabaseUnavailableError ? error : new DatabaseUnavailableError(code);
  const driver = isDrizzleQueryError(error) ? error.cause : error;
  return driver instanceof DomainError ? driver : new DatabaseError(driver);
}

/** drizzle-orm's DrizzleQueryError (by shape: Next's bundle and node_modules each have their own class). */
function isDrizzleQueryError(error: unknown): error is Error & { params: unknown } {
  return error instanceof Error && "params" in error && error.message.startsWith("Failed query:");
}

/** Postgres unique_violation (both drivers surface the SQLSTATE as `code`, sometimes on `cause`). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; message?: string; cause?: unknown };
  if (e?.code === "23505") return !constraint || [e.constraint_name, e.constraint].includes(constraint) || !!e.message?.includes(constraint);
  return e?.cause ? isUniqueViolation(e.cause, constraint) : false;
}

export const GENERIC_ERROR = "Something went wrong. Try again, and tell an administrator if it keeps happening.";

export type UserError = { status: number; code: DomainCode | "internal_error"; message: string; fieldErrors?: Record<string, string[]> };

/**
 * The one mapping from an error to what the user is told, for server actions
 * and the REST API alike: a DomainError in its own words; anything else is
 * logged once (the driver's error, not the failed query with its parameters)
 * and answered with GENERIC_ERROR.
 */
export function userFacing(error: unknown, context: string): UserError {
  const unavailable = unavailableCode(error);
  if (unavailable) {
    console.error(`${context}: database unavailable (${unavailable})`);
    return { status: 503, code: "database_unavailable", message: DATABASE_UNAVAILABLE };
  }
  if (error instanceof DomainError) return { status: error.status, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
  console.error(`${context}:`, loggable(error));
  return { status: 500, code: "internal_error", message: GENERIC_ERROR };
}

/** An unexpected error as the log gets it: its stack and its causes', with a query's parameters never in them. */
export function loggable(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && depth < 5; depth++) {
    const safe = isDrizzleQueryError(e) ? databaseErrorOf(e) : e;
    parts.push(safe instanceof Error ? (safe.stack ?? `${safe.name}: ${safe.message}`) : String(safe));
    e = safe instanceof Error ? safe.cause : undefined;
  }
  return parts.join("\ncaused by: ");
}

/** userFacing, as a form shows it. */
export function describeError(error: unknown, context: string): { message: string; fieldErrors?: Record<string, string[]> } {
  const { message, fieldErrors } = userFacing(error, context);
  return { message, fieldErrors };
}
