import { html, render } from './html.js';
import { useEffect, useState } from '../vendor/preact-hooks.mjs';
import { api, setApiSession } from './api.js';
import { timeZone } from './format.js';
import { SignIn, Setup, ChangePassword } from './pages/signin.js';
import { Overview } from './pages/overview.js';
import { Keys } from './pages/keys.js';
import { Dlp } from './pages/dlp.js';
import { Audit } from './pages/audit.js';
import { Alerts } from './pages/alerts.js';
import { Providers } from './pages/providers.js';
import { Accounts } from './pages/accounts.js';

const pages = [
  { id: 'overview', title: 'Overview', view: Overview },
  { id: 'keys', title: 'Teams and keys', view: Keys },
  { id: 'dlp', title: 'DLP', view: Dlp },
  { id: 'audit', title: 'Audit log', view: Audit },
  { id: 'alerts', title: 'Alerts', view: Alerts },
  { id: 'providers', title: 'Providers', view: Providers },
  { id: 'accounts', title: 'Accounts', view: Accounts, adminOnly: true },
];

function currentPage() {
  const id = window.location.hash.replace(/^#\/?/, '') || 'overview';
  return pages.find(p => p.id === id) || pages[0];
}

function App() {
  const [state, setState] = useState({ phase: 'loading' });
  const [page, setPage] = useState(currentPage());
  const [changingPassword, setChangingPassword] = useState(false);

  const signedIn = session => { setApiSession(session); setState({ phase: 'ready', session }); };
  const ended = () => { setApiSession(null); setState({ phase: 'signin', notice: 'Your session has ended. Sign in again.' }); };

  useEffect(() => {
    setApiSession(null, ended);
    window.addEventListener('hashchange', () => setPage(currentPage()));
    (async () => {
      try {
        const setup = await api('GET', 'setup');
        if (setup.required) { setState({ phase: 'setup' }); return; }
        signedIn(await api('GET', 'session'));
      } catch {
        setState({ phase: 'signin' });
      }
    })();
  }, []);

  if (state.phase === 'loading') return html`<p class="loading">Loading…</p>`;
  if (state.phase === 'setup') return html`<${Setup} onDone=${() => setState({ phase: 'signin', notice: 'Account created. Sign in with it.' })} />`;
  if (state.phase === 'signin') return html`<${SignIn} notice=${state.notice} onSignedIn=${signedIn} />`;

  const session = state.session;
  const canWrite = session.role === 'admin';
  const signOut = async () => {
    try { await api('DELETE', 'session'); } finally { setApiSession(null); setState({ phase: 'signin', notice: 'Signed out.' }); }
  };
  const View = page.view;
  return html`<div class="shell">
    <nav class="sidebar">
      <div class="brand">Synapse</div>
      ${pages.filter(p => !p.adminOnly || canWrite).map(p => html`<a href=${'#/' + p.id} class=${p.id === page.id ? 'active' : ''} data-page=${p.id}>${p.title}</a>`)}
    </nav>
    <main>
      <header class="topbar">
        <h1>${page.title}</h1>
        <div class="who">
          <span class="muted">Times in ${timeZone}</span>
          <span data-testid="who">${session.username} (${session.role})</span>
          ${session.csrfToken && html`<button class="link" onClick=${() => setChangingPassword(true)}>Change password</button>`}
          <button class="secondary" onClick=${signOut} data-action="sign-out">Sign out</button>
        </div>
      </header>
      <${View} session=${session} canWrite=${canWrite} />
    </main>
    ${changingPassword && html`<${ChangePassword} onClose=${() => setChangingPassword(false)} onChanged=${s => { setChangingPassword(false); signedIn(s); }} />`}
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
