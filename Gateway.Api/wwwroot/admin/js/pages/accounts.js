import { html } from '../html.js';
import { useEffect, useState } from '../../vendor/preact-hooks.mjs';
import { api } from '../api.js';
import { Dialog, ErrorBanner, Field } from '../components.js';
import { time } from '../format.js';
import { Audit } from './audit.js';

export function Accounts({ session }) {
  const [accounts, setAccounts] = useState([]);
  const [form, setForm] = useState({ username: '', password: '', role: 'auditor' });
  const [error, setError] = useState(null);
  const [createError, setCreateError] = useState(null);
  const [resetting, setResetting] = useState(null);
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
  // A refused account keeps what was typed, so the field errors can be fixed in place.
  const create = async e => {
    e.preventDefault();
    try {
      await api('POST', 'accounts', form);
      setCreateError(null);
      setForm({ username: '', password: '', role: 'auditor' });
      load();
    } catch (failure) {
      setCreateError(failure);
    }
  };
  const fields = createError ? createError.fields : {};
  return html`<section>
    <div class="columns">
      <div class="card wide"><h2>Accounts</h2>
        <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
        <table class="grid" data-table="accounts"><thead><tr><th>User</th><th>Role</th><th>State</th><th>Created</th><th></th></tr></thead>
          <tbody>${accounts.map(a => a.broken ? html`<tr data-broken="true"><td>${a.username}</td>
            <td><strong>seal broken</strong></td>
            <td title="The account's row was changed outside Synapse (or predates sealed accounts): it grants nothing until it is reset with a new password and role.">grants nothing: reset it</td>
            <td>${time(a.createdAt)}</td>
            <td><button class="link" onClick=${() => setResetting(a)} data-action="reset-account">Reset</button></td></tr>`
          : html`<tr><td>${a.username}</td>
            <td><select value=${a.role} disabled=${a.username === session.username} onChange=${e => act('PATCH', `accounts/${encodeURIComponent(a.username)}`, { role: e.currentTarget.value })}>
              <option value="admin">admin</option><option value="auditor">auditor</option></select></td>
            <td>${a.disabled ? 'disabled' : a.lockedUntil && new Date(a.lockedUntil) > new Date() ? 'locked until ' + time(a.lockedUntil) : 'active'}</td>
            <td>${time(a.createdAt)}</td>
            <td>${a.username !== session.username && html`<button class="link" onClick=${() => act('PATCH', `accounts/${encodeURIComponent(a.username)}`, { disabled: !a.disabled })}>${a.disabled ? 'Enable' : 'Disable'}</button>
              <button class="link" onClick=${() => setResetting(a)} data-action="reset-password">Reset password</button>`}</td></tr>`)}</tbody></table>
      </div>
      <form method="post" class="card" onSubmit=${create} data-form="account">
        <h2>New account</h2>
        <${ErrorBanner} error=${createError && !createError.problem.errors ? createError : null} />
        <${Field} label="User name" error=${fields.username}><input name="username" value=${form.username} onInput=${e => setForm({ ...form, username: e.currentTarget.value })} /><//>
        <${Field} label="Password" error=${fields.password} hint="At least 12 characters."><input name="password" type="password" autocomplete="new-password" value=${form.password} onInput=${e => setForm({ ...form, password: e.currentTarget.value })} /><//>
        <${Field} label="Role" error=${fields.role}><select name="role" value=${form.role} onChange=${e => setForm({ ...form, role: e.currentTarget.value })}>
          <option value="auditor">auditor (reads only)</option><option value="admin">admin</option></select><//>
        <button type="submit">Create account</button>
      </form>
    </div>
    <h2>Admin activity</h2>
    <${Audit} fixedKind="admin" />
    ${resetting && html`<${ResetPassword} account=${resetting} onClose=${() => setResetting(null)} onDone=${() => { setResetting(null); load(); }} />`}
  </section>`;
}

// An admin sets another account's password (its sessions end); the API's field error shows here.
// A broken account (its row fails its seal) is reset whole: a password and a role chosen now.
function ResetPassword({ account, onClose, onDone }) {
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('auditor');
  const [error, setError] = useState(null);
  const submit = async e => {
    e.preventDefault();
    try {
      await api('PATCH', `accounts/${encodeURIComponent(account.username)}`, account.broken ? { password, role, disabled: false } : { password });
      onDone();
    } catch (failure) {
      setError(failure);
    }
  };
  const fields = error ? error.fields : {};
  return html`<${Dialog} title=${'Reset the password of ' + account.username} onClose=${onClose} name="reset-password">
    <form method="post" onSubmit=${submit} data-form="reset-password">
      <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
      <${Field} label="New password" error=${fields.password} hint="At least 12 characters. The account's sessions end."><input name="password" type="password" autocomplete="new-password" value=${password} onInput=${e => setPassword(e.currentTarget.value)} /><//>
      ${account.broken && html`<${Field} label="Role" error=${fields.role}><select name="role" value=${role} onChange=${e => setRole(e.currentTarget.value)}>
        <option value="auditor">auditor (reads only)</option><option value="admin">admin</option></select><//>`}
      <div class="actions"><button type="submit">Set password</button><button type="button" class="secondary" onClick=${onClose}>Cancel</button></div>
    </form>
  <//>`;
}
