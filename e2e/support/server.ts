import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { createFreshDatabase } from "../../lib/test/fresh-database";

export type TestServer = {
  url: string;
  /** The process started (tsx, which runs the server in a child of its own). */
  pid: number;
  dataDir: string;
  databaseUrl?: string;
  output: () => string;
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** A fresh database for one test server (the same helper the Vitest files use). */
export const freshDatabase = () => createFreshDatabase("latchkey-e2e");

/**
 * Servers of this worker still running (process group ids). A worker that ends
 * while one starts (a hook's timeout) would otherwise leave it behind: tsx's
 * own child outlives tsx, holding its port and a CPU share.
 */
const running = new Set<number>();
const killGroup = (pgid: number) => {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // already gone
  }
};
process.once("exit", () => running.forEach(killGroup));

/** Starts the production server (`npm start`) on a free port and waits until it answers. */
export async function startServer(env: Record<string, string> = {}, db?: Awaited<ReturnType<typeof freshDatabase>>): Promise<TestServer> {
  const database = db ?? (await freshDatabase());
  const port = await freePort();
  let out = "";
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.js", "--production"], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LATCHKEY_DATA_DIR: database.dataDir,
      ...(database.databaseUrl
        ? { DATABASE_URL: database.databaseUrl, AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123" }
        : { DATABASE_URL: "" }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that tsx and the server it runs can be ended together.
    detached: true,
  });
  running.add(child.pid!);
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const fail = (why: string) => {
    killGroup(child.pid!);
    running.delete(child.pid!);
    return new Error(`${why}:\n${out}`);
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw fail("server exited early");
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw fail("server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        // To tsx, which hands it on: the server shuts down as it would in production (one SIGTERM).
        child.kill("SIGTERM");
        await exited;
      }
      running.delete(child.pid!);
      if (!db) await database.drop();
    },
  };
}
