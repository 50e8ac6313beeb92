import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The console's Content-Security-Policy: scripts only from this origin and
 * with this response's nonce ('strict-dynamic' lets them load Next's chunks),
 * nothing framed, forms only to this origin. Next reads the nonce from the
 * request's header and puts it on every script it renders; every page is
 * rendered per request (app/layout.tsx), so every page gets a fresh one.
 * Styles allow inline ones: Radix positions popovers with style attributes.
 * `next dev` also needs eval for its refresh runtime.
 */
export function consolePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Sets the policy on a request for Next (which takes its nonce from there) and on its answer. */
export function applyConsolePolicy(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  const policy = consolePolicy(randomBytes(16).toString("base64"), dev);
  req.headers["content-security-policy"] = policy;
  res.setHeader("content-security-policy", policy);
}
