import type { IncomingMessage, ServerResponse } from "node:http";
import { isApiPath } from "@/lib/api/paths";
import { payloadTooLarge } from "@/lib/api/problem";
import { bodyLimitOf, limitBody } from "@/lib/http/body-limit";
import { CLIENT_IP_HEADER, clientIpOf } from "@/lib/http/client-ip";
import { applyConsolePolicy } from "@/lib/http/csp";

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * What every request meets before either door: its client address (forwarded
 * headers trusted only behind a proxy), its body limit (refused before it is
 * read), then the API listener for /api/v1 and /api-docs, or Next.js with the
 * console's Content-Security-Policy.
 */
export function frontDoor(options: { trustProxy: boolean; dev: boolean; api: Handler; next: Handler }): Handler {
  const { trustProxy, dev, api, next } = options;
  return (req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIpOf(req, trustProxy);
    if (!trustProxy) {
      req.headers["x-forwarded-proto"] = "http";
      delete req.headers["x-forwarded-host"];
    }
    const url = req.url ?? "/";
    const limit = bodyLimitOf(url);
    limitBody(req, res, limit, () => {
      if (isApiPath(url)) return api(req, res);
      if (!url.startsWith("/_next/")) applyConsolePolicy(req, res, dev);
      void next(req, res);
    }, () => payloadTooLarge(limit));
  };
}
