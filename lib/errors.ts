/**
 * Errors a user can act on. Pages and server actions show `message` (or the
 * field errors next to their fields); the REST API maps `code` and `status`
 * to problem+json. Anything else is a bug: logged, and shown as a short
 * generic message.
 */
/** The problem codes a DomainError carries (each explained at /api-docs/problems). */
export type DomainCode = "not_found" | "forbidden" | "conflict" | "validation_failed";

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

/** Postgres unique_violation (both drivers surface the SQLSTATE as `code`, sometimes on `cause`). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint_name?: string; constraint?: string; message?: string; cause?: unknown };
  if (e?.code === "23505") return !constraint || [e.constraint_name, e.constraint].includes(constraint) || !!e.message?.includes(constraint);
  return e?.cause ? isUniqueViolation(e.cause, constraint) : false;
}

export const GENERIC_ERROR = "Something went wrong. Try again, and tell an administrator if it keeps happening.";

export type UserError = { status: number; code: string; message: string; fieldErrors?: Record<string, string[]> };

/**
 * The one mapping from an error to what the user is told, for server actions
 * and the REST API alike: a DomainError in its own words; anything else is
 * logged once (the driver's error, not the failed query with its parameters)
 * and answered with GENERIC_ERROR.
 */
export function userFacing(error: unknown, context: string): UserError {
  if (error instanceof DomainError) return { status: error.status, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
  const cause = error instanceof Error && error.cause ? error.cause : error;
  console.error(`${context}:`, cause instanceof Error ? (cause.stack ?? cause.message) : cause);
  return { status: 500, code: "internal_error", message: GENERIC_ERROR };
}

/** userFacing, as a form shows it. */
export function describeError(error: unknown, context: string): { message: string; fieldErrors?: Record<string, string[]> } {
  const { message, fieldErrors } = userFacing(error, context);
  return { message, fieldErrors };
}
