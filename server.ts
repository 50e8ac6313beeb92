import "./lib/runtime/boot";
import { createServer } from "node:http";
import next from "next";
import { createApiListener } from "@/lib/api/listener";
import { ConfigError, getConfig } from "@/lib/config";
import { closeDatabase } from "@/lib/db/client";
import { DataDirLockedError } from "@/lib/db/lock";
import { usageRecorder } from "@/lib/keys/usage-recorder";
import { frontDoor } from "@/lib/runtime/front-door";
import { buildProduction, hasProductionBuild } from "@/lib/runtime/build";
import { describeReadiness, prepareDatabase } from "@/lib/runtime/startup";

// One http.Server, two front doors: the API listener (lib/api/listener.ts: the Hono app, with a short
// path for GET /api/v1/me) answers /api/v1 and /api-docs, Next.js answers everything else.
async function main() {
  // Whatever this process writes (PGlite's files, the generated secret, Next's cache) is its owner's alone.
  process.umask(0o077);
  const config = getConfig();
  const dev = process.env.NODE_ENV !== "production";
  const log = (line: string) => console.log(`[latchkey] ${line}`);

  process.env.NEXT_TELEMETRY_DISABLED ??= "1"; // self-hosted and often air-gapped: nothing phones home
  if (!dev && process.argv.includes("--build-if-missing") && !hasProductionBuild()) {
    log("No production build yet: building it first with `next build` (a few minutes, this once). `npm run dev` is the development server, for working on Latchkey itself.");
    await buildProduction();
  }
  await prepareDatabase(log);
  // next-auth derives its own URL from the request; server.ts vouches for the host headers below.
  process.env.AUTH_TRUST_HOST ??= "1";

  const nextApp = next({ dev, dir: process.cwd(), hostname: config.host, port: config.port });
  await nextApp.prepare();

  const server = createServer(frontDoor({ trustProxy: config.trustProxy, dev, api: createApiListener(), next: nextApp.getRequestHandler() }));

  server.once("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    console.error(`[latchkey] Port ${config.port} on ${config.host} is already in use by another program. Stop it, or choose another port: PORT=${config.port + 1} npm start`);
    process.exit(1);
  });
  server.listen(config.port, config.host, async () => {
    const shown = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    const baseUrl = `http://${shown}:${config.port}`;
    log(`Latchkey ${dev ? "(development)" : "(production)"} is running at ${baseUrl}`);
    log(await describeReadiness(baseUrl));
  });

  const shutdown = (signal: string) => {
    log(`${signal} received, shutting down.`);
    server.close();
    server.closeAllConnections();
    // Key usage counted since the last batch is written before the database closes.
    void usageRecorder()
      .stop()
      .finally(() => closeDatabase())
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(`[latchkey] ${error.message}`);
  } else {
    console.error("[latchkey] Failed to start:", error);
  }
  process.exit(1);
});
