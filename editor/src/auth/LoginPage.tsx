import { type FormEvent, useState } from 'react';
import { useSession } from './session';

export function LoginPage() {
  const signIn = useSession((s) => s.signIn);
  const error = useSession((s) => s.error);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    await signIn(String(form.get('email') ?? ''), String(form.get('password') ?? ''));
    setBusy(false);
  };

  return (
    <section className="page login">
      <h1>Sign in to Switchboard</h1>
      <form className="login-form" onSubmit={onSubmit} data-testid="login-form">
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
