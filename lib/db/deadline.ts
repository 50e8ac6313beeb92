import "server-only";
import type postgres from "postgres";
import { DatabaseUnavailableError, unavailableCode } from "@/lib/errors";

/**
 * How long Latchkey waits for Postgres before it answers 503
 * `database_unavailable` (README: Database failures):
 *
 * - connecting, up to the first ReadyForQuery: postgres.js `connect_timeout`;
 * - a statement the server runs too long (a lock wait, a slow plan): the
 *   server cancels it at `statement_timeout` (57014) and frees the connection;
 * - a database that does not answer at all (a frozen host, a stalled
 *   network): no server-side timeout can fire, so every statement, and every
 *   BEGIN and COMMIT, races QUERY_DEADLINE_MS on the client. The statement
 *   may still complete later; the caller has been told it did not answer.
 */
export const CONNECT_TIMEOUT_S = 4;
export const STATEMENT_TIMEOUT_MS = 4_000;
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;
export const QUERY_DEADLINE_MS = 5_000;

type Sql = postgres.Sql | postgres.TransactionSql;

/** `sql` with the client-side deadline on `unsafe` (what drizzle and the verification path use), `begin` and `savepoint`. */
export function withDeadline<T extends Sql>(sql: T, ms = QUERY_DEADLINE_MS): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (...args: Parameters<postgres.Sql["unsafe"]>) => deadlined(target.unsafe(...args), ms);
      }
      if (prop === "begin" || prop === "savepoint") {
        const run = Reflect.get(target, prop, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => transaction(run.bind(target), args, ms);
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

const late = (ms: number) => new DatabaseUnavailableError(`no answer within ${ms} ms`);

function race<T>(work: PromiseLike<T>, ms: number, onLate?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => (onLate?.(), reject(late(ms))), ms);
    work.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/**
 * A PendingQuery whose `then` races the deadline; its builder methods
 * (`values`, `raw`, …) still chain. Past the deadline, a query still waiting
 * for a connection is taken off the queue, so that it never runs after its
 * caller was told it failed. One already sent is left alone: postgres.js
 * cancels a pipelined query by moving on to the next one, whose answer would
 * then be the cancelled one's (statement_timeout ends it on the server).
 */
function deadlined<Q extends PromiseLike<unknown> & { cancel?: () => unknown; state?: unknown }>(query: Q, ms: number): Q {
  const cancel = () => {
    if (!query.state) void Promise.resolve(query.cancel?.()).catch(() => {});
  };
  const proxy: Q = new Proxy(query, {
    get(target, prop) {
      if (prop === "then") return (ok: (v: unknown) => unknown, fail: (e: unknown) => unknown) => race(target, ms, cancel).then(ok, fail);
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        return out === target ? proxy : out;
      };
    },
  });
  return proxy;
}

/**
 * begin/savepoint: the deadline runs while a connection is taken and BEGIN
 * sent, stops while the callback works (its statements have their own), and
 * runs again for COMMIT. A statement past its deadline fails the transaction
 * at once, without waiting for a ROLLBACK the frozen database cannot answer;
 * a transaction that gets its connection only after its deadline rolls back
 * without running.
 */
function transaction(run: (...args: unknown[]) => Promise<unknown>, args: unknown[], ms: number): Promise<unknown> {
  const callback = args.pop() as (tx: postgres.TransactionSql) => unknown;
  return new Promise((resolve, reject) => {
    let expired = false;
    let timer = setTimeout(() => ((expired = true), reject(late(ms))), ms);
    run(...args, async (tx: postgres.TransactionSql) => {
      clearTimeout(timer);
      if (expired) throw late(ms);
      try {
        const result = await callback(withDeadline(tx, ms));
        timer = setTimeout(() => reject(late(ms)), ms);
        return result;
      } catch (error) {
        if (unavailableCode(error)) reject(error);
        throw error;
      }
    }).then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
