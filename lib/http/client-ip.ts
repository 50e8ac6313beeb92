import type { IncomingMessage } from "node:http";

/** The header server.ts sets on every request; anything a client sent under this name is replaced. */
export const CLIENT_IP_HEADER = "x-latchkey-client-ip";

export function clientIpOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  const address = req.socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
