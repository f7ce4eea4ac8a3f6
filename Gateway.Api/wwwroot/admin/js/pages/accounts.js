import { html } from '../html.js';
import { useEffect, useState } from '../../vendor/preact-hooks.mjs';
import { api } from '../api.js';
import { ErrorBanner, Field } from '../components.js';
import { time } from '../format.js';
import { Audit } from './audit.js';

export function Accounts({ session }) {
  const [accounts, setAccounts] = useState([]);
  const [form, setForm] = useState({ username: '', password: '', role: 'auditor' });
  const [error, setError] = useState(null);
  const load = () => api('GET', 'accounts').then(setAccounts, setError);
  useEffect(() => { load(); }, []);
  const act = async (method, path, body) => {
    try {
      await api(method, path, body);
      setError(null);
      load();
    } catch (failure) {
      setError(failure);
    }
  };
  const create = async e => {
    e.preventDefault();
    await act('POST', 'accounts', form);
    setForm({ username: '', password: '', role: 'auditor' });
  };
  const reset = account => {
    const password = window.prompt(`New password for ${account.username} (at least 12 characters):`);
    if (password) act('PATCH', `accounts/${encodeURIComponent(account.username)}`, { password });
  };
  const fields = error ? error.fields : {};
  return html`<section>
    <div class="columns">
      <div class="card wide"><h2>Accounts</h2>
        <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
        <table class="grid" data-table="accounts"><thead><tr><th>User</th><th>Role</th><th>State</th><th>Created</th><th></th></tr></thead>
          <tbody>${accounts.map(a => html`<tr><td>${a.username}</td>
            <td><select value=${a.role} disabled=${a.username === session.username} onChange=${e => act('PATCH', `accounts/${encodeURIComponent(a.username)}`, { role: e.currentTarget.value })}>
              <option value="admin">admin</option><option value="auditor">auditor</option></select></td>
            <td>${a.disabled ? 'disabled' : a.lockedUntil && new Date(a.lockedUntil) > new Date() ? 'locked until ' + time(a.lockedUntil) : 'active'}</td>
            <td>${time(a.createdAt)}</td>
            <td>${a.username !== session.username && html`<button class="link" onClick=${() => act('PATCH', `accounts/${encodeURIComponent(a.username)}`, { disabled: !a.disabled })}>${a.disabled ? 'Enable' : 'Disable'}</button>
              <button class="link" onClick=${() => reset(a)}>Reset password</button>`}</td></tr>`)}</tbody></table>
      </div>
      <form class="card" onSubmit=${create} data-form="account">
        <h2>New account</h2>
        <${Field} label="User name" error=${fields.username}><input name="username" value=${form.username} onInput=${e => setForm({ ...form, username: e.currentTarget.value })} /><//>
        <${Field} label="Password" error=${fields.password} hint="At least 12 characters."><input name="password" type="password" autocomplete="new-password" value=${form.password} onInput=${e => setForm({ ...form, password: e.currentTarget.value })} /><//>
        <${Field} label="Role" error=${fields.role}><select name="role" value=${form.role} onChange=${e => setForm({ ...form, role: e.currentTarget.value })}>
          <option value="auditor">auditor (reads only)</option><option value="admin">admin</option></select><//>
        <button type="submit">Create account</button>
      </form>
    </div>
    <h2>Admin activity</h2>
    <${Audit} fixedKind="admin" />
  </section>`;
}
