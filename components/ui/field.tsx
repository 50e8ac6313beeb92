import { useId } from "react";

type Described = { label: string; errors?: string[]; hint?: string };

/** Ids for a control, its hint and its errors, so that the errors are announced with it (aria-describedby). */
function useDescribed({ errors, hint }: Pick<Described, "errors" | "hint">) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [errors?.length ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  const messages = (
    <>
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={errorId} className="mt-1 text-sm text-red-600">
          {errors.join(" ")}
        </p>
      ) : null}
    </>
  );
  return { id, describedBy, invalid: errors?.length ? true : undefined, messages };
}

const control =
  "mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-invalid:ring-red-500";

type FieldProps = React.InputHTMLAttributes<HTMLInputElement> & Described;

/** A labelled input whose errors are announced with it (aria-describedby). */
export function Field({ label, errors, hint, className = "", ...input }: FieldProps) {
  const { id, describedBy, invalid, messages } = useDescribed({ errors, hint });
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input id={id} aria-invalid={invalid} aria-describedby={describedBy} className={control} {...input} />
      {messages}
    </div>
  );
}

type TextAreaFieldProps = React.TextareaHTMLAttributes<HTMLTextAreaElement> & Described;

export function TextAreaField({ label, errors, hint, className = "", ...textarea }: TextAreaFieldProps) {
  const { id, describedBy, invalid, messages } = useDescribed({ errors, hint });
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea id={id} aria-invalid={invalid} aria-describedby={describedBy} className={`${control} font-mono`} {...textarea} />
      {messages}
    </div>
  );
}

type CheckboxFieldProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, "type"> & Described;

/** A checkbox with its label beside it; the hint explains what ticking it does. */
export function CheckboxField({ label, errors, hint, className = "", ...input }: CheckboxFieldProps) {
  const { id, describedBy, invalid, messages } = useDescribed({ errors, hint });
  return (
    <div className={className}>
      <div className="flex items-center gap-2">
        <input id={id} type="checkbox" aria-invalid={invalid} aria-describedby={describedBy} className="h-4 w-4 rounded border-slate-300 text-indigo-600" {...input} />
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
      </div>
      {messages}
    </div>
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
