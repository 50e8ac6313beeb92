import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** `next build` leaves its id here last: without it there is no production build to serve. */
export function hasProductionBuild(dir = process.cwd()): boolean {
  return existsSync(path.join(dir, ".next", "BUILD_ID"));
}

/**
 * `next build`, its output on this terminal; resolves once it has finished.
 * For `npm start` on a fresh checkout: the quick start serves the product,
 * built once, instead of the development server.
 */
export function buildProduction(dir = process.cwd()): Promise<void> {
  const next = require.resolve("next/dist/bin/next", { paths: [dir] });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [next, "build"], { cwd: dir, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`next build failed (${signal ?? `exit code ${code}`}); fix what it printed and run npm start again.`))));
  });
}
