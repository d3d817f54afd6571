import { startTransition } from "react";

/**
 * A form's onSubmit that hands its data to a server action (from useActionState) without
 * `<form action>`: React resets a form's fields after an action, and a form the server refused
 * must keep what was typed while it shows the errors.
 */
export function submitTo(action: (data: FormData) => void) {
  return (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  };
}
