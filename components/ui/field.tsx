"use client";

import { useCallback, useId, useState } from "react";

/**
 * The errors of one field from the last submission, hidden as soon as the
 * person changes that field: an error describes what was sent, not what is
 * there now. The next submission brings a new array, so its errors show again.
 * Pass the array from the action's state as it is (its identity marks the submission).
 */
export function useFieldErrors(errors: string[] | undefined) {
  const [changedSince, setChangedSince] = useState<string[] | undefined>();
  const shown = errors?.length && errors !== changedSince ? errors : undefined;
  const changed = useCallback(() => setChangedSince(errors), [errors]);
  return { errors: shown, changed };
}

/** The message under a field, with the id its control points to (aria-describedby). */
export function FieldErrorText({ id, errors, className = "mt-1" }: { id: string; errors?: string[]; className?: string }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className={`${className} text-sm text-red-600`}>
      {errors.join(" ")}
    </p>
  );
}

type Described = { label: string; errors?: string[]; hint?: string };

/** Ids for a control, its hint and its errors, so that the errors are announced with it (aria-describedby). */
function useDescribed({ errors: submitted, hint }: Pick<Described, "errors" | "hint">) {
  const id = useId();
  const { errors, changed } = useFieldErrors(submitted);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [errors ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  const messages = (
    <>
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      <FieldErrorText id={errorId} errors={errors} />
    </>
  );
  return { id, describedBy, invalid: errors ? true : undefined, messages, changed };
}

const control =
  "mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-invalid:ring-red-500";

export const selectClass =
  "mt-1 block w-full rounded-md border-0 py-2 pr-8 pl-3 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 aria-invalid:ring-red-500";

/** Calls the field's own onChange (if any) after noting that the field changed. */
function chain<E>(changed: () => void, own?: (event: E) => void) {
  return (event: E) => {
    changed();
    own?.(event);
  };
}

type FieldProps = React.InputHTMLAttributes<HTMLInputElement> & Described;

/** A labelled input whose errors are announced with it (aria-describedby). */
export function Field({ label, errors, hint, className = "", onChange, ...input }: FieldProps) {
  const { id, describedBy, invalid, messages, changed } = useDescribed({ errors, hint });
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input id={id} aria-invalid={invalid} aria-describedby={describedBy} className={control} onChange={chain(changed, onChange)} {...input} />
      {messages}
    </div>
  );
}

type TextAreaFieldProps = React.TextareaHTMLAttributes<HTMLTextAreaElement> & Described;

export function TextAreaField({ label, errors, hint, className = "", onChange, ...textarea }: TextAreaFieldProps) {
  const { id, describedBy, invalid, messages, changed } = useDescribed({ errors, hint });
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={id}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        className={`${control} font-mono`}
        onChange={chain(changed, onChange)}
        {...textarea}
      />
      {messages}
    </div>
  );
}

type SelectFieldProps = React.SelectHTMLAttributes<HTMLSelectElement> & Described;

export function SelectField({ label, errors, hint, className = "", onChange, children, ...select }: SelectFieldProps) {
  const { id, describedBy, invalid, messages, changed } = useDescribed({ errors, hint });
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={id} aria-invalid={invalid} aria-describedby={describedBy} className={selectClass} onChange={chain(changed, onChange)} {...select}>
        {children}
      </select>
      {messages}
    </div>
  );
}

type CheckboxFieldProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, "type"> & Described;

/** A checkbox with its label beside it; the hint explains what ticking it does. */
export function CheckboxField({ label, errors, hint, className = "", onChange, ...input }: CheckboxFieldProps) {
  const { id, describedBy, invalid, messages, changed } = useDescribed({ errors, hint });
  return (
    <div className={className}>
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          aria-invalid={invalid}
          aria-describedby={describedBy}
          className="h-4 w-4 rounded border-slate-300 text-indigo-600"
          onChange={chain(changed, onChange)}
          {...input}
        />
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
      </div>
      {messages}
    </div>
  );
}

/**
 * A group of controls (radios, checkboxes) with one error about the group as a
 * whole, such as "Select at least one project.": any change inside clears it.
 */
export function FieldGroup({ legend, errors: submitted, className = "", children }: { legend: React.ReactNode; errors?: string[]; className?: string; children: React.ReactNode }) {
  const id = useId();
  const { errors, changed } = useFieldErrors(submitted);
  return (
    <fieldset aria-describedby={errors ? `${id}-error` : undefined} onChange={changed} className={className}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {children}
      <FieldErrorText id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
      {message}
    </p>
  );
}
