/**
 * Where focus goes when a dialog closes. Our dialogs are opened from state,
 * not from a Radix Trigger, so Radix has no element to return to and focus
 * fell to <body>. A dialog records its opener when it opens; on close focus
 * goes back to it, or, when the row that held it re-rendered without it
 * (rotated, revoked, deleted), to the same id, to the fallback its region
 * names (`data-focus-fallback="id other-id"`), or to the main content.
 */

const DIALOG = '[role="dialog"], [role="alertdialog"]';
const FOCUSABLE = 'button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

export type Opener = { element: HTMLElement; id: string; fallbacks: string[] };

// The last control used outside any dialog. A dialog that opens from another one (Rotate, then the
// reveal of the new key) opens while focus is inside the first, so it inherits the first one's opener.
let lastOutside: HTMLElement | null = null;

function note(target: EventTarget | null) {
  if (!(target instanceof Element) || target.closest(DIALOG)) return;
  const control = target.closest<HTMLElement>(FOCUSABLE);
  if (control) lastOutside = control;
}

if (typeof document !== "undefined") {
  document.addEventListener("focusin", (e) => note(e.target), true);
  // Safari does not focus a clicked button: the press tells us which one it was.
  document.addEventListener("pointerdown", (e) => note(e.target), true);
}

export function captureOpener(): Opener | null {
  const active = document.activeElement;
  const element = active instanceof HTMLElement && active !== document.body && !active.closest(DIALOG) ? active : lastOutside;
  if (!element) return null;
  const fallbacks: string[] = [];
  for (let el = element.closest("[data-focus-fallback]"); el; el = el.parentElement?.closest("[data-focus-fallback]") ?? null) {
    fallbacks.push(...(el.getAttribute("data-focus-fallback") ?? "").split(/\s+/).filter(Boolean));
  }
  return { element, id: element.id, fallbacks };
}

function usable(el: HTMLElement | null): el is HTMLElement {
  return !!el && el.isConnected && !el.matches(":disabled") && el.getClientRects().length > 0;
}

// The row may re-render after the dialog closed (a revoked key leaves the list when the page's data
// arrives): until the person moves on, a focused element that leaves the page hands focus on.
const WATCH_MS = 10_000;
let stopWatching: (() => void) | null = null;

function candidatesFor(opener: Opener | null): (HTMLElement | null)[] {
  return [
    opener?.element ?? null,
    opener?.id ? document.getElementById(opener.id) : null,
    ...(opener?.fallbacks ?? []).map((id) => document.getElementById(id)),
    document.getElementById("main"),
  ];
}

function watch(focused: HTMLElement, opener: Opener | null) {
  stopWatching?.();
  const observer = new MutationObserver(() => {
    if (focused.isConnected) return;
    stop();
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const next = candidatesFor(opener).find(usable);
    if (next) {
      next.focus();
      watch(next, opener);
    }
  });
  const onFocusIn = (event: FocusEvent) => event.target !== focused && stop();
  const timer = setTimeout(() => stop(), WATCH_MS);
  function stop() {
    observer.disconnect();
    document.removeEventListener("focusin", onFocusIn, true);
    clearTimeout(timer);
    if (stopWatching === stop) stopWatching = null;
  }
  observer.observe(document.body, { childList: true, subtree: true });
  document.addEventListener("focusin", onFocusIn, true);
  stopWatching = stop;
}

export function restoreFocus(opener: Opener | null) {
  // Another dialog opened as this one closed (the reveal after Rotate): it returns focus when it closes.
  if (document.querySelector(`${DIALOG}[data-state="open"]`)) return;
  const target = candidatesFor(opener).find(usable);
  if (!target) return;
  target.focus();
  watch(target, opener);
}
