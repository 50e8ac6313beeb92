import "server-only";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { ensurePrivateDataDir } from "@/lib/config";

export class DataDirLockedError extends Error {}

type LockInfo = { pid: number; host: string; startedAt: string; command: string };

/**
 * PGlite has one connection per data directory and loses data when two
 * processes open it, and nothing upstream prevents that: this lock file does.
 * A lock left by a process that no longer runs is taken over.
 */
export function acquireDataDirLock(dataDir: string): void {
  ensurePrivateDataDir(dataDir);
  const file = path.join(dataDir, "latchkey.lock");
  const mine: LockInfo = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: process.argv.slice(1).join(" "),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: "wx", mode: 0o600 });
      process.once("exit", () => releaseDataDirLock(dataDir));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readLock(file);
    if (holder && holder.pid === process.pid && holder.host === mine.host) return;
    if (holder && (holder.host !== mine.host || isRunning(holder.pid))) {
      throw new DataDirLockedError(
        `The data directory ${dataDir} is in use by process ${holder.pid} on ${holder.host} ` +
          `(started ${holder.startedAt}: ${holder.command}). ` +
          "PGlite allows one process per data directory: stop that process, or set LATCHKEY_DATA_DIR " +
          "to another directory, or use DATABASE_URL for several instances.",
      );
    }
    rmSync(file, { force: true });
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dataDir}.`);
}

export function releaseDataDirLock(dataDir: string): void {
  const file = path.join(dataDir, "latchkey.lock");
  const holder = readLock(file);
  if (holder?.pid === process.pid) rmSync(file, { force: true });
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
