import { html } from '../html.js';
import { useEffect, useState } from '../../vendor/preact-hooks.mjs';
import { api } from '../api.js';
import { ErrorBanner, Field } from '../components.js';

const actions = ['block', 'redact', 'route_on_prem', 'alert', 'off'];

export function Dlp({ canWrite }) {
  const [policy, setPolicy] = useState(null);
  const [draft, setDraft] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => { api('GET', 'dlp/policy').then(p => { setPolicy(p); setDraft(structuredClone(p)); }, setError); }, []);
  if (!draft) return html`<${ErrorBanner} error=${error} />`;

  const save = async () => {
    setSaved(false);
    try {
      // Only over the version this page read: another admin's change since then is not undone (412).
      const updated = await api('PUT', 'dlp/policy', { actions: draft.actions, customCategories: draft.customCategories }, { 'If-Match': `"v${policy.version}"` });
      setPolicy(updated);
      setDraft(structuredClone(updated));
      setError(null);
      setSaved(true);
    } catch (failure) {
      setError(failure);
    }
  };
  const fields = error ? error.fields : {};
  const setCustom = (i, name, value) => setDraft({ ...draft, customCategories: draft.customCategories.map((c, j) => j === i ? { ...c, [name]: value } : c) });
  return html`<section>
    <div class="columns">
      <div class="card"><h2>Policy <span class="muted">version ${policy.version}</span></h2>
        <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
        <table class="grid"><thead><tr><th>Category</th><th>Action</th></tr></thead><tbody>
          ${Object.entries(draft.actions).map(([category, action]) => html`<tr><td>${category}</td><td>
            ${canWrite ? html`<select value=${action} onChange=${e => setDraft({ ...draft, actions: { ...draft.actions, [category]: e.currentTarget.value } })}>${actions.map(a => html`<option value=${a}>${a}</option>`)}</select>` : action}
            ${fields['actions.' + category] && html`<span class="field-error">${fields['actions.' + category]}</span>`}</td></tr>`)}
        </tbody></table>
        <h3>Custom categories</h3>
        ${draft.customCategories.map((c, i) => html`<div class="row custom">
          <${Field} label="Name" error=${fields[`customCategories[${i}].name`]}><input value=${c.name} disabled=${!canWrite} onInput=${e => setCustom(i, 'name', e.currentTarget.value)} /><//>
          <${Field} label="Pattern" error=${fields[`customCategories[${i}].pattern`]}><input value=${c.pattern} disabled=${!canWrite} onInput=${e => setCustom(i, 'pattern', e.currentTarget.value)} /><//>
          <${Field} label="Action"><select value=${c.action} disabled=${!canWrite} onChange=${e => setCustom(i, 'action', e.currentTarget.value)}>${actions.map(a => html`<option value=${a}>${a}</option>`)}</select><//>
          ${canWrite && html`<button class="link" onClick=${() => setDraft({ ...draft, customCategories: draft.customCategories.filter((_, j) => j !== i) })}>Remove</button>`}
        </div>`)}
        ${Object.entries(fields).filter(([f]) => f.startsWith('customCategories') && !/\].(name|pattern)$/.test(f)).map(([f, m]) => html`<p class="field-error">${f}: ${m.join(' ')}</p>`)}
        ${canWrite && html`<div class="actions">
          <button class="secondary" onClick=${() => setDraft({ ...draft, customCategories: [...draft.customCategories, { name: '', pattern: '', action: 'alert', maxLength: 64 }] })}>Add custom category</button>
          <button onClick=${save} data-action="save-policy">Save policy</button>${saved && html`<span class="ok">Saved.</span>`}</div>`}
      </div>
      <div class="card"><${TryIt} /></div>
    </div>
  </section>`;
}

// Sends the text to the server's scanner and marks each finding in it; the text is shown as text.
function TryIt() {
  const [text, setText] = useState('');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const test = async e => {
    e.preventDefault();
    try {
      setResult({ text, ...(await api('POST', 'dlp/test', { text })) });
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  };
  return html`<form method="post" onSubmit=${test} data-form="dlp-test">
    <h2>Try it</h2>
    <${Field} label="Text to scan" hint="Scanned by the server with the current policy; nothing is stored."><textarea name="text" rows="5" value=${text} onInput=${e => setText(e.currentTarget.value)}></textarea><//>
    <button type="submit">Scan</button>
    <${ErrorBanner} error=${error} />
    ${result && html`<div class="scan">
      <p>${result.blocked ? html`<strong class="no">Would be blocked.</strong>` : html`<strong class="yes">Would pass.</strong>`} ${result.findings.length} finding(s).</p>
      <div class="highlighted" data-testid="highlighted">${highlight(result.text, result.findings)}</div>
      <table class="grid small"><thead><tr><th>Category</th><th>Action</th><th>At</th><th>Details</th></tr></thead><tbody>
        ${result.findings.map(f => html`<tr><td>${f.category}</td><td>${f.action}</td><td>${f.start}–${f.start + f.length}</td>
          <td>${Object.entries(f).filter(([k]) => !['category', 'action', 'start', 'length'].includes(k)).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ')}</td></tr>`)}
      </tbody></table>
      <h3>Redacted</h3><pre>${result.redactedText}</pre>
    </div>`}
  </form>`;
}

function highlight(text, findings) {
  const parts = [];
  let at = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (f.start < at) continue;
    parts.push(text.slice(at, f.start));
    parts.push(html`<mark class=${'dlp-' + f.action} data-category=${f.category} title=${f.category + ' → ' + f.action}>${text.slice(f.start, f.start + f.length)}</mark>`);
    at = f.start + f.length;
  }
  parts.push(text.slice(at));
  return parts;
}
