/** RFC 9457 problem details with a stable `code` that clients can switch on. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extra: string]: unknown;
};

export function problem(status: number, code: string, title: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `https://latchkey.dev/problems/${code.replace(/_/g, "-")}`, title, status, detail, code, ...extra };
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", "x-content-type-options": "nosniff", ...headers },
  });
}

export const STATUS_TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  413: "Content too large",
  415: "Unsupported media type",
  422: "Validation failed",
  429: "Too many requests",
  500: "Internal error",
  503: "Service unavailable",
};

/** The usual problem for a status, titled by the status. */
export function problemOf(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return problem(status, code, STATUS_TITLES[status] ?? "Error", detail, extra);
}

/** 401s always say how to authenticate (RFC 6750); the description never repeats the key. */
export function unauthorized(code: string, detail: string, headers: Record<string, string> = {}): Response {
  const challenge = code === "missing_key" ? 'Bearer realm="latchkey"' : `Bearer realm="latchkey", error="invalid_token", error_description="${code}"`;
  return problemResponse(problemOf(401, code, detail), { "www-authenticate": challenge, ...headers });
}

/** Field errors keyed by field path (`name`, `restriction`); issues about the body as a whole go under `body`. */
export function validationProblem(errors: Record<string, string[]>, detail?: string): Problem {
  const all = Object.values(errors).flat();
  return problemOf(422, "validation_failed", detail ?? (all.join(" ") || "The request is not valid."), { errors });
}

/** A body over the door's limit (lib/http/body-limit.ts), refused before it is read. */
export function payloadTooLarge(limit: number): Response {
  const size = limit % 1048576 === 0 ? `${limit / 1048576} MiB` : limit % 1024 === 0 ? `${limit / 1024} KiB` : `${limit} bytes`;
  return problemResponse(problemOf(413, "payload_too_large", `The request body is larger than ${size}, the most this endpoint accepts.`));
}
