import { startTransition } from "react";

/**
 * An onSubmit for a form driven by useActionState that skips React 19's
 * automatic form reset: when the server turns the input down, every field
 * (selects and radios included, which defaultValue cannot restore) keeps what
 * the person chose.
 */
export function submitKeepingValues(action: (data: FormData) => void) {
  return (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  };
}
