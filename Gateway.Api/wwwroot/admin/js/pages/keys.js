import { html } from '../html.js';
import { useEffect, useState } from '../../vendor/preact-hooks.mjs';
import { api, query, v1BaseUrl } from '../api.js';
import { Confirm, Dialog, ErrorBanner, Field } from '../components.js';
import { number, time } from '../format.js';

export function Keys({ canWrite }) {
  const [teams, setTeams] = useState([]);
  const [filter, setFilter] = useState({ teamId: '', status: '' });
  const [page, setPage] = useState({ items: [], nextCursor: null });
  const [error, setError] = useState(null);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState(null);
  const [selected, setSelected] = useState(null);

  const loadTeams = () => api('GET', 'teams').then(setTeams, setError);
  const loadKeys = (cursor) => api('GET', 'keys' + query({ ...filter, cursor, limit: 25 }))
    .then(p => setPage(cursor ? { items: [...page.items, ...p.items], nextCursor: p.nextCursor, total: p.total } : p), setError);

  useEffect(() => { loadTeams(); }, []);
  useEffect(() => { loadKeys(); }, [filter.teamId, filter.status]);

  const teamName = id => (teams.find(t => t.id === id) || { name: id }).name;
  return html`<section>
    <${ErrorBanner} error=${error} />
    <div class="columns">
      <div class="card"><h2>Teams</h2>
        ${canWrite && html`<${CreateTeam} onCreated=${loadTeams} />`}
        <table class="grid" data-table="teams"><thead><tr><th>Team</th><th>Keys</th><th>Created</th></tr></thead>
          <tbody>${teams.map(t => html`<tr><td class="team-name">${t.name}</td><td>${t.keyCount}</td><td>${time(t.createdAt)}</td></tr>`)}</tbody></table>
      </div>
      <div class="card wide"><h2>Keys</h2>
        <div class="toolbar">
          <select aria-label="Team" value=${filter.teamId} onChange=${e => setFilter({ ...filter, teamId: e.currentTarget.value })}>
            <option value="">All teams</option>${teams.map(t => html`<option value=${t.id}>${t.name}</option>`)}
          </select>
          <select aria-label="Status" value=${filter.status} onChange=${e => setFilter({ ...filter, status: e.currentTarget.value })}>
            <option value="">Any status</option><option value="active">Active</option><option value="expired">Expired</option><option value="revoked">Revoked</option>
          </select>
          ${canWrite && html`<button onClick=${() => setCreating(true)} data-action="new-key">New key</button>`}
        </div>
        <table class="grid clickable" data-table="keys"><thead><tr><th>Name</th><th>Team</th><th>Prefix</th><th>Classification</th><th>Models</th><th>Status</th><th>Created</th><th>Expires</th></tr></thead>
          <tbody>${page.items.map(k => html`<tr onClick=${() => setSelected(k)}>
            <td>${k.name}</td><td>${teamName(k.teamId)}</td><td><code>${k.prefix}</code></td><td>${k.classification}</td>
            <td>${k.allowedModels.join(', ')}</td><td>${status(k)}</td><td>${time(k.createdAt)}</td><td>${k.expiresAt ? time(k.expiresAt) : 'never'}</td></tr>`)}</tbody></table>
        ${page.total !== undefined && page.total !== null && html`<p class="muted">${number(page.total)} keys</p>`}
        ${page.nextCursor && html`<button class="secondary" onClick=${() => loadKeys(page.nextCursor)}>Load more</button>`}
      </div>
    </div>
    ${creating && html`<${CreateKey} teams=${teams} onClose=${() => setCreating(false)} onCreated=${key => { setCreating(false); setIssued(key); loadKeys(); loadTeams(); }} />`}
    ${issued && html`<${KeyOnce} issued=${issued} onClose=${() => setIssued(null)} />`}
    ${selected && html`<${KeyDetail} keyView=${selected} teamName=${teamName(selected.teamId)} canWrite=${canWrite} onClose=${() => setSelected(null)} onChanged=${() => { setSelected(null); loadKeys(); }}
      onRotated=${key => { setSelected(null); setIssued(key); loadKeys(); }} />`}
  </section>`;
}

/** A revoked key is revoked whether or not its approval had ended. */
const status = k => (k.revoked ? 'revoked' : k.expired ? 'expired' : 'active');

/** The end of the chosen day in the browser's time zone, as the instant the API takes; none when empty. */
const endOfDay = day => {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d, 23, 59, 59).toISOString();
};

function CreateTeam({ onCreated }) {
  const [name, setName] = useState('');
  const [error, setError] = useState(null);
  const submit = async e => {
    e.preventDefault();
    try {
      await api('POST', 'teams', { name });
      setName('');
      setError(null);
      onCreated();
    } catch (failure) {
      setError(failure);
    }
  };
  return html`<form method="post" class="inline" onSubmit=${submit} data-form="team">
    <${Field} label="New team" error=${error && error.fields.name}><input name="team" value=${name} onInput=${e => setName(e.currentTarget.value)} required /><//>
    <button type="submit">Create team</button>
    ${error && !error.problem.errors && html`<span class="field-error">${error.message}</span>`}
  </form>`;
}

function CreateKey({ teams, onClose, onCreated }) {
  const [providers, setProviders] = useState([]);
  const [categories, setCategories] = useState([]);
  const [form, setForm] = useState({
    teamId: teams[0] ? teams[0].id : '', name: '', systemPrompt: '', allowedModels: [], classification: 'non_sensitive',
    requestsPerMinute: 60, tokensPerMinute: 100000, maxConcurrentRequests: 4, dlp: {}, expiresOn: '',
  });
  const [error, setError] = useState(null);
  useEffect(() => {
    api('GET', 'providers').then(setProviders, setError);
    api('GET', 'dlp/policy').then(p => setCategories(Object.keys(p.actions || {}).concat((p.customCategories || []).map(c => c.name))), setError);
  }, []);

  const set = (name, value) => setForm({ ...form, [name]: value });
  const toggleModel = model => set('allowedModels', form.allowedModels.includes(model) ? form.allowedModels.filter(m => m !== model) : [...form.allowedModels, model]);
  const models = providers.flatMap(p => p.models.map(m => ({ model: m, provider: p.name, location: p.location })));

  // The request is built from the form's fields in one place, so adding a binding field is one line here.
  const request = () => ({
    teamId: form.teamId,
    name: form.name,
    systemPrompt: form.systemPrompt,
    allowedModels: form.allowedModels,
    classification: form.classification,
    limits: { requestsPerMinute: Number(form.requestsPerMinute), tokensPerMinute: Number(form.tokensPerMinute), maxConcurrentRequests: Number(form.maxConcurrentRequests) },
    dlp: Object.keys(form.dlp).length ? form.dlp : undefined,
    expiresAt: endOfDay(form.expiresOn),
  });
  const submit = async e => {
    e.preventDefault();
    try {
      onCreated(await api('POST', 'keys', request()));
    } catch (failure) {
      setError(failure);
    }
  };
  const fields = error ? error.fields : {};
  return html`<${Dialog} title="New key" onClose=${onClose} name="new-key">
    <form method="post" onSubmit=${submit} data-form="key">
      <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
      <${Field} label="Team" error=${fields.teamId}>
        <select name="teamId" value=${form.teamId} onChange=${e => set('teamId', e.currentTarget.value)}>${teams.map(t => html`<option value=${t.id}>${t.name}</option>`)}</select>
      <//>
      <${Field} label="Name" error=${fields.name}><input name="name" value=${form.name} onInput=${e => set('name', e.currentTarget.value)} /><//>
      <${Field} label="System prompt" error=${fields.systemPrompt} hint="Always the first message; client system messages are removed.">
        <textarea name="systemPrompt" rows="3" value=${form.systemPrompt} onInput=${e => set('systemPrompt', e.currentTarget.value)}></textarea>
      <//>
      <fieldset><legend>Allowed models</legend>
        ${models.map(m => html`<label class="check"><input type="checkbox" name="model" value=${m.model} checked=${form.allowedModels.includes(m.model)} onChange=${() => toggleModel(m.model)} /> ${m.model} <span class="muted">(${m.provider}, ${m.location})</span></label>`)}
        ${fields.allowedModels && fields.allowedModels.map(message => html`<span class="field-error">${message}</span>`)}
      </fieldset>
      <fieldset><legend>Data classification</legend>
        ${['sensitive', 'non_sensitive'].map(c => html`<label class="check"><input type="radio" name="classification" value=${c} checked=${form.classification === c} onChange=${() => set('classification', c)} /> ${c}</label>`)}
        <span class="hint">Sensitive keys only ever reach on-prem providers.</span>
        ${fields.classification && fields.classification.map(message => html`<span class="field-error">${message}</span>`)}
      </fieldset>
      <div class="row">
        <${Field} label="Requests / minute" error=${fields['limits.requestsPerMinute']}><input name="rpm" type="number" min="1" value=${form.requestsPerMinute} onInput=${e => set('requestsPerMinute', e.currentTarget.value)} /><//>
        <${Field} label="Tokens / minute" error=${fields['limits.tokensPerMinute']}><input name="tpm" type="number" min="1" value=${form.tokensPerMinute} onInput=${e => set('tokensPerMinute', e.currentTarget.value)} /><//>
        <${Field} label="Concurrent requests" error=${fields['limits.maxConcurrentRequests']}><input name="concurrency" type="number" min="1" value=${form.maxConcurrentRequests} onInput=${e => set('maxConcurrentRequests', e.currentTarget.value)} /><//>
      </div>
      <${Field} label="Expires" error=${fields.expiresAt} hint="Optional: the key is refused after the end of this day (your time zone). Empty: until revoked.">
        <input name="expiresOn" type="date" value=${form.expiresOn} onInput=${e => set('expiresOn', e.currentTarget.value)} />
      <//>
      <details><summary>DLP overrides</summary>
        ${categories.map(c => html`<label class="field row"><span class="label">${c}</span>
          <select value=${form.dlp[c] || ''} onChange=${e => { const dlp = { ...form.dlp }; if (e.currentTarget.value) dlp[c] = e.currentTarget.value; else delete dlp[c]; set('dlp', dlp); }}>
            <option value="">policy default</option>${['block', 'redact', 'route_on_prem', 'alert', 'off'].map(a => html`<option value=${a}>${a}</option>`)}
          </select>${fields['dlp.' + c] && html`<span class="field-error">${fields['dlp.' + c]}</span>`}</label>`)}
      </details>
      <div class="actions"><button type="submit">Create key</button><button type="button" class="secondary" onClick=${onClose}>Cancel</button></div>
    </form>
  <//>`;
}

/** How long a rotated key's old secret keeps working: at once for a leak, longer to roll clients over. */
const overlaps = [
  [0, 'Stop the old secret at once (it leaked)'],
  [300, '5 minutes'],
  [3600, '1 hour'],
  [86400, '24 hours (the longest)'],
];

/** The key's new secret is shown once, with when the old one stops: a rotation's answer is a key's creation answer. */
function KeyOnce({ issued, onClose }) {
  const [copied, setCopied] = useState(false);
  const base = v1BaseUrl();
  const model = issued.allowedModels[0] || 'MODEL';
  const copy = async () => {
    await navigator.clipboard.writeText(issued.key);
    setCopied(true);
  };
  const python = `from openai import OpenAI\nclient = OpenAI(base_url="${base}", api_key="${issued.key}")\nreply = client.chat.completions.create(model="${model}", messages=[{"role": "user", "content": "Hello"}])\nprint(reply.choices[0].message.content)`;
  const node = `import OpenAI from "openai";\nconst client = new OpenAI({ baseURL: "${base}", apiKey: "${issued.key}" });\nconst reply = await client.chat.completions.create({ model: "${model}", messages: [{ role: "user", content: "Hello" }] });\nconsole.log(reply.choices[0].message.content);`;
  const curl = `curl ${base}/chat/completions \\\n  -H "Authorization: Bearer ${issued.key}" -H "Content-Type: application/json" \\\n  -d '{"model":"${model}","messages":[{"role":"user","content":"Hello"}]}'`;
  const rotated = Boolean(issued.rotatedAt);
  return html`<${Dialog} title=${rotated ? 'The key\'s new secret' : 'Your new key'} onClose=${onClose} name="key-once">
    <p class="notice">This key is shown <strong>once</strong>. Copy it now; the gateway keeps only its hash.</p>
    ${rotated && html`<p data-testid="old-key-ends">${Date.parse(issued.previousKeyEndsAt) > Date.parse(issued.rotatedAt)
      ? html`The old secret keeps working until <strong>${time(issued.previousKeyEndsAt)}</strong>; move every client to the new one before then.`
      : 'The old secret no longer works.'}</p>`}
    <div class="secret"><code data-testid="new-key">${issued.key}</code>
      <button onClick=${copy} data-action="copy-key">${copied ? 'Copied' : 'Copy'}</button></div>
    <h3>Python</h3><pre>${python}</pre>
    <h3>Node</h3><pre>${node}</pre>
    <h3>curl</h3><pre>${curl}</pre>
    <div class="actions"><button onClick=${onClose} data-action="done">I have copied it</button></div>
  <//>`;
}

function KeyDetail({ keyView, teamName, canWrite, onClose, onChanged, onRotated }) {
  const [usage, setUsage] = useState(null);
  const [limits, setLimits] = useState(keyView.limits);
  const [error, setError] = useState(null);
  const [confirming, setConfirming] = useState(false);
  const [rotating, setRotating] = useState(false);
  useEffect(() => {
    const to = new Date();
    api('GET', 'usage' + query({ from: new Date(to - 86400e3).toISOString(), to: to.toISOString(), keyId: keyView.id })).then(setUsage, setError);
  }, []);
  // PUT replaces every limit, so every limit is sent: a cap left out would be lifted. An empty
  // optional cap means the gateway's default (null).
  const optional = value => (value === null || value === undefined || String(value).trim() === '' ? null : Number(value));
  const saveLimits = async e => {
    e.preventDefault();
    try {
      await api('PUT', `keys/${encodeURIComponent(keyView.id)}/limits`, {
        requestsPerMinute: Number(limits.requestsPerMinute), tokensPerMinute: Number(limits.tokensPerMinute), maxConcurrentRequests: Number(limits.maxConcurrentRequests),
        maxOutputTokens: optional(limits.maxOutputTokens), maxChoices: optional(limits.maxChoices),
      });
      onChanged();
    } catch (failure) {
      setError(failure);
    }
  };
  const revoke = async () => {
    try {
      await api('POST', `keys/${encodeURIComponent(keyView.id)}/revoke`);
      onChanged();
    } catch (failure) {
      setError(failure);
    }
  };
  const rotate = async overlapSeconds => {
    try {
      onRotated(await api('POST', `keys/${encodeURIComponent(keyView.id)}/rotate`, { overlapSeconds }));
    } catch (failure) {
      setRotating(false);
      setError(failure);
    }
  };
  const fields = error ? error.fields : {};
  return html`<${Dialog} title=${'Key ' + keyView.name} onClose=${onClose} name="key-detail">
    <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
    <dl class="json">
      <dt>Id</dt><dd><code>${keyView.id}</code></dd><dt>Team</dt><dd>${teamName}</dd><dt>Prefix</dt><dd><code>${keyView.prefix}</code></dd>
      <dt>Classification</dt><dd>${keyView.classification}</dd><dt>Models</dt><dd>${keyView.allowedModels.join(', ')}</dd>
      <dt>System prompt</dt><dd><pre>${keyView.systemPrompt}</pre></dd><dt>DLP overrides</dt><dd>${keyView.dlp ? JSON.stringify(keyView.dlp) : 'none'}</dd>
      <dt>Status</dt><dd>${keyView.revoked ? 'revoked ' + time(keyView.revokedAt) : status(keyView)}</dd>
      <dt>Expires</dt><dd>${keyView.expiresAt ? time(keyView.expiresAt) : 'never (until revoked)'}</dd>
      ${keyView.rotatedAt && html`<dt>Secret rotated</dt><dd>${time(keyView.rotatedAt)}; the old secret ${Date.parse(keyView.previousKeyEndsAt) > Date.now() ? 'works until' : 'stopped'} ${time(keyView.previousKeyEndsAt)}</dd>`}
      <dt>Last 24 h</dt><dd>${usage ? `${number(usage.totals.requests)} requests, ${number(usage.totals.promptTokens + usage.totals.completionTokens)} tokens` : '…'}</dd>
    </dl>
    ${canWrite && !keyView.revoked ? html`<form method="post" onSubmit=${saveLimits} class="row" data-form="limits">
        <${Field} label="Requests / minute" error=${fields.requestsPerMinute}><input name="requestsPerMinute" type="number" min="1" value=${limits.requestsPerMinute} onInput=${e => setLimits({ ...limits, requestsPerMinute: e.currentTarget.value })} /><//>
        <${Field} label="Tokens / minute" error=${fields.tokensPerMinute}><input name="tokensPerMinute" type="number" min="1" value=${limits.tokensPerMinute} onInput=${e => setLimits({ ...limits, tokensPerMinute: e.currentTarget.value })} /><//>
        <${Field} label="Concurrent" error=${fields.maxConcurrentRequests}><input name="maxConcurrentRequests" type="number" min="1" value=${limits.maxConcurrentRequests} onInput=${e => setLimits({ ...limits, maxConcurrentRequests: e.currentTarget.value })} /><//>
        <${Field} label="Max output tokens" error=${fields.maxOutputTokens} hint="Empty: the gateway's default."><input name="maxOutputTokens" type="number" min="1" value=${limits.maxOutputTokens ?? ''} onInput=${e => setLimits({ ...limits, maxOutputTokens: e.currentTarget.value })} /><//>
        <${Field} label="Max choices" error=${fields.maxChoices} hint="Empty: the gateway's default."><input name="maxChoices" type="number" min="1" value=${limits.maxChoices ?? ''} onInput=${e => setLimits({ ...limits, maxChoices: e.currentTarget.value })} /><//>
        <button type="submit">Save limits</button>
      </form>
      <div class="actions">
        ${!keyView.expired && html`<button class="secondary" onClick=${() => setRotating(true)} data-action="rotate-key">Rotate secret</button>`}
        <button class="danger" onClick=${() => setConfirming(true)}>Revoke key</button>
      </div>`
      : html`<p class="muted">Limits: ${keyView.limits.requestsPerMinute} requests, ${keyView.limits.tokensPerMinute} tokens per minute, ${keyView.limits.maxConcurrentRequests} at once;
          at most ${keyView.limits.maxOutputTokens ?? 'the default'} output tokens and ${keyView.limits.maxChoices ?? 'the default'} choices per request.</p>`}
    ${rotating && html`<${RotateKey} onRotate=${rotate} onClose=${() => setRotating(false)} />`}
    ${confirming && html`<${Confirm} text="Revoke this key? Every front end refuses it from the next request on; this cannot be undone." action="Revoke" onConfirm=${revoke} onClose=${() => setConfirming(false)} />`}
  <//>`;
}

/** Confirms a rotation and asks how long the old secret keeps working. */
function RotateKey({ onRotate, onClose }) {
  const [overlap, setOverlap] = useState(0);
  const [busy, setBusy] = useState(false);
  const submit = async e => {
    e.preventDefault();
    setBusy(true);
    await onRotate(overlap);
  };
  return html`<${Dialog} title="Rotate this key's secret?" onClose=${onClose} name="rotate-key">
    <form method="post" onSubmit=${submit} data-form="rotate">
      <p>The key keeps its id, team, limits and history; it gets a new secret, shown once. After the old one stops,
        it is refused like a key that never existed.</p>
      <${Field} label="The old secret" hint="Keep it working while clients move to the new secret, or stop it now if it leaked.">
        <select name="overlapSeconds" value=${overlap} onChange=${e => setOverlap(Number(e.currentTarget.value))}>
          ${overlaps.map(([seconds, label]) => html`<option value=${seconds}>${label}</option>`)}
        </select>
      <//>
      <div class="actions"><button type="submit" class="danger" disabled=${busy} data-action="confirm-rotate">Rotate</button><button type="button" class="secondary" onClick=${onClose}>Cancel</button></div>
    </form>
  <//>`;
}
