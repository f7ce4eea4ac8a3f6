import { html } from '../html.js';
import { useState } from '../../vendor/preact-hooks.mjs';
import { api } from '../api.js';
import { Dialog, ErrorBanner, Field } from '../components.js';

function useForm(initial) {
  const [values, setValues] = useState(initial);
  const bind = name => ({ value: values[name], onInput: e => setValues({ ...values, [name]: e.currentTarget.value }) });
  return [values, bind, setValues];
}

export function SignIn({ notice, onSignedIn }) {
  const [values, bind] = useForm({ username: '', password: '' });
  const [error, setError] = useState(null);
  const submit = async e => {
    e.preventDefault();
    setError(null);
    try {
      onSignedIn(await api('POST', 'session', values));
    } catch (failure) {
      setError(failure);
    }
  };
  return html`<div class="centered">
    <form method="post" class="card narrow" onSubmit=${submit} data-form="sign-in">
      <h1>Sign in to Synapse</h1>
      ${notice && html`<p class="notice">${notice}</p>`}
      <${ErrorBanner} error=${error} />
      <${Field} label="User name"><input name="username" autocomplete="username" required ...${bind('username')} /><//>
      <${Field} label="Password"><input name="password" type="password" autocomplete="current-password" required ...${bind('password')} /><//>
      <button type="submit">Sign in</button>
    </form>
  </div>`;
}

export function Setup({ onDone }) {
  const [values, bind] = useForm({ token: '', username: '', password: '' });
  const [error, setError] = useState(null);
  const submit = async e => {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', 'setup', values);
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  const fields = error ? error.fields : {};
  return html`<div class="centered">
    <form method="post" class="card narrow" onSubmit=${submit} data-form="setup">
      <h1>Welcome to Synapse</h1>
      <p>No account exists yet. Prove you run this gateway with its admin token (printed once in the
        gateway's output at first start, or the <code>Synapse:Admin:Token</code> you configured), and
        create the first admin account.</p>
      <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
      <${Field} label="Admin token" error=${fields.token}><input name="token" type="password" autocomplete="off" required ...${bind('token')} /><//>
      <${Field} label="User name" error=${fields.username}><input name="username" autocomplete="username" required ...${bind('username')} /><//>
      <${Field} label="Password" error=${fields.password} hint="At least 12 characters."><input name="password" type="password" autocomplete="new-password" required ...${bind('password')} /><//>
      <button type="submit">Create the first admin</button>
    </form>
  </div>`;
}

export function ChangePassword({ onClose, onChanged }) {
  const [values, bind] = useForm({ currentPassword: '', newPassword: '' });
  const [error, setError] = useState(null);
  const submit = async e => {
    e.preventDefault();
    try {
      onChanged(await api('PUT', 'session/password', values));
    } catch (failure) {
      setError(failure);
    }
  };
  const fields = error ? error.fields : {};
  return html`<${Dialog} title="Change your password" onClose=${onClose} name="change-password">
    <form method="post" onSubmit=${submit} data-form="change-password">
      <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
      <${Field} label="Current password" error=${fields.currentPassword}><input type="password" autocomplete="current-password" ...${bind('currentPassword')} /><//>
      <${Field} label="New password" error=${fields.newPassword} hint="At least 12 characters. Every other session of your account ends."><input type="password" autocomplete="new-password" ...${bind('newPassword')} /><//>
      <button type="submit">Change password</button>
    </form>
  <//>`;
}
