/**
 * State that must exist once per process. Next's bundle and server.ts each
 * load lib/ (and `npm run dev` reloads it), so a module-level `let` would
 * exist twice: everything that must be one per process (the database client,
 * the verification cache, the limiters, the usage recorder, the clock) is
 * registered here, on one globalThis slot, under a name.
 */
type Slot = { value: unknown; dispose?: (value: unknown) => void };

const REGISTRY = Symbol.for("latchkey.process-state");
const g = globalThis as unknown as { [REGISTRY]?: Map<string, Slot> };

function registry(): Map<string, Slot> {
  return (g[REGISTRY] ??= new Map());
}

/** The process's one `name`, made by `make` the first time it is asked for. */
export function processState<T>(name: string, make: () => T, dispose?: (value: T) => void): T {
  const slots = registry();
  let slot = slots.get(name);
  if (!slot) {
    slot = { value: make(), dispose: dispose as Slot["dispose"] };
    slots.set(name, slot);
  }
  return slot.value as T;
}

/** The process's `name` if it has been made, without making it. */
export function peekProcessState<T>(name: string): T | undefined {
  return registry().get(name)?.value as T | undefined;
}

/** Forgets `name` (or everything), disposing of it: the next call makes it afresh. For tests and shutdown. */
export function resetProcessState(name?: string): void {
  const slots = registry();
  for (const [key, slot] of [...slots]) {
    if (name !== undefined && key !== name) continue;
    slots.delete(key);
    slot.dispose?.(slot.value);
  }
}
