import { useState, type FormEvent } from "react";

/** Asks for an API key when the server requires one; the key is kept in sessionStorage. */
export function Login(props: { onSubmit: (key: string) => void; failed: boolean }) {
  const [key, setKey] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim() !== "") props.onSubmit(key.trim());
  };
  return (
    <div className="login">
      <form onSubmit={submit}>
        <h1>Sluice</h1>
        <p>This server requires an API key.</p>
        {props.failed && <p className="error">That key was not accepted.</p>}
        <label>
          API key
          <input
            type="password"
            autoComplete="current-password"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            autoFocus
          />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </div>
  );
}
