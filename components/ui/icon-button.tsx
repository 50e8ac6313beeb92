"use client";

import { forwardRef } from "react";
import { Tooltip } from "./tooltip";

type IconButtonProps = {
  /** The button's accessible name, also shown as its tooltip. */
  label: string;
  onClick: () => void;
  children: React.ReactNode;
  /**
   * Why the action is not available here. The button stays focusable (aria-disabled
   * rather than disabled) so that keyboard and pointer users can read the reason.
   */
  unavailable?: string;
  id?: string;
};

/** An icon-only button with an accessible name and a visible tooltip on hover and focus. */
export const IconButton = forwardRef<HTMLButtonElement, IconButtonProps>(function IconButton({ label, onClick, children, unavailable, id }, ref) {
  return (
    <Tooltip content={unavailable ? `${label}: ${unavailable}` : label}>
      <button
        ref={ref}
        id={id}
        type="button"
        aria-label={label}
        aria-disabled={unavailable ? true : undefined}
        onClick={unavailable ? undefined : onClick}
        className="rounded-md p-1.5 max-md:p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-disabled:cursor-not-allowed aria-disabled:opacity-40 aria-disabled:hover:bg-transparent"
      >
        {children}
      </button>
    </Tooltip>
  );
});
