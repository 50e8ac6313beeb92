import "server-only";
import { chmodSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { isMainThread } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { PgPreparedQuery } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getConfig } from "@/lib/config";
import { databaseErrorOf } from "@/lib/errors";
import { processState } from "@/lib/process-state";
import { CONNECT_TIMEOUT_S, IDLE_IN_TRANSACTION_TIMEOUT_MS, STATEMENT_TIMEOUT_MS, withDeadline } from "./deadline";
import { acquireDataDirLock, releaseDataDirLock } from "./lock";
import * as schema from "./schema";

/**
 * Both drivers expose the same drizzle query builder; the rest of the code
 * sees one type and never knows which database it talks to.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DatabaseKind = "pglite" | "postgres";

type Handle = {
  db: Db;
  kind: DatabaseKind;
  /** postgres.js client, for LISTEN/NOTIFY; absent on PGlite (one process, nothing to notify). */
  sql?: postgres.Sql;
  pglite?: PGlite;
  close: () => Promise<void>;
};

/**
 * Every query of both drivers runs through PgPreparedQuery.queryWithCache,
 * which wraps a failure in drizzle's error whose message lists the query's
 * parameters (password hashes, session ids), and Next logs an error that
 * escapes a page as it is. Here that error becomes DatabaseUnavailableError
 * or DatabaseError (lib/errors.ts): code, constraint and message, nothing else.
 */
const SAFE_ERRORS = Symbol.for("latchkey.db.safe-errors");
type Patchable = { queryWithCache: (...args: unknown[]) => Promise<unknown>; [SAFE_ERRORS]?: true };
const prepared = PgPreparedQuery.prototype as unknown as Patchable;
if (!prepared[SAFE_ERRORS]) {
  const queryWithCache = prepared.queryWithCache;
  prepared.queryWithCache = async function (this: unknown, ...args: unknown[]) {
    try {
      return await queryWithCache.apply(this, args);
    } catch (error) {
      throw databaseErrorOf(error);
    }
  };
  prepared[SAFE_ERRORS] = true;
}

// Next's bundle and server.ts load this module twice in one process; both must share one client.
const globalForDb = globalThis as unknown as { __latchkeyDb?: Promise<Handle> };

export function getDatabase(): Promise<Handle> {
  if (process.env.NEXT_PHASE === "phase-production-build") {
    throw new Error("The database is not available during `next build`.");
  }
  globalForDb.__latchkeyDb ??= open().then(
    (handle) => {
      opened().kind = handle.kind;
      return handle;
    },
    (error: unknown) => {
      globalForDb.__latchkeyDb = undefined;
      throw error;
    },
  );
  return globalForDb.__latchkeyDb;
}

const opened = () => processState<{ kind?: DatabaseKind }>("db.opened", () => ({}));

/** The open database's kind, without waiting: undefined until it is open. For hot paths. */
export function databaseKind(): DatabaseKind | undefined {
  return opened().kind;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

const closing = () => processState<(() => Promise<void>)[]>("db.closing", () => []);

/** Work to do before the current client closes (a listener to stop); runs once, at the next close. */
export function onDatabaseClose(fn: () => Promise<void>): void {
  closing().push(fn);
}

export async function closeDatabase(): Promise<void> {
  const handle = globalForDb.__latchkeyDb;
  globalForDb.__latchkeyDb = undefined;
  opened().kind = undefined;
  for (const fn of closing().splice(0)) await fn().catch(() => {});
  if (handle) await (await handle).close();
}

async function open(): Promise<Handle> {
  const config = getConfig();
  if (config.databaseUrl) {
    const sql = withDeadline(
      postgres(config.databaseUrl, {
        max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
        onnotice: () => {},
        connect_timeout: CONNECT_TIMEOUT_S,
        connection: {
          application_name: "latchkey",
          statement_timeout: STATEMENT_TIMEOUT_MS,
          idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
        },
      }),
    );
    return {
      db: drizzlePostgres(sql, { schema }),
      kind: "postgres",
      sql,
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const dir = `${config.dataDir}/pgdata`;
  acquireDataDirLock(config.dataDir);
  // Only their owner may read the WAL and its password hashes: files PGlite creates later pass through the umask.
  if (isMainThread) process.umask(0o077);
  try {
    // Contrib extensions must be loaded when PGlite starts; migration 0002 then creates pg_trgm.
    const pglite = await PGlite.create(dir, { extensions: { pg_trgm } });
    ownerOnly(dir);
    return {
      db: drizzlePglite(pglite, { schema }) as unknown as Db,
      kind: "pglite",
      pglite,
      close: async () => {
        await pglite.close();
        releaseDataDirLock(config.dataDir);
      },
    };
  } catch (error) {
    releaseDataDirLock(config.dataDir);
    throw error;
  }
}

/** PGlite's first start copies the new cluster onto the disk with chmod 0666: take group and others off, once. */
function ownerOnly(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isSymbolicLink()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, mode & 0o700);
  }
  chmodSync(dir, 0o700);
}
