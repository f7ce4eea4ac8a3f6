import { html } from '../html.js';
import { useEffect, useState } from '../../vendor/preact-hooks.mjs';
import { api, query } from '../api.js';
import { Dialog, ErrorBanner, Field, JsonView } from '../components.js';
import { time, toIso } from '../format.js';

const empty = { from: '', to: '', teamId: '', keyId: '', outcome: '', model: '', provider: '', dlpCategory: '', kind: '' };

export function Audit({ fixedKind }) {
  const [filter, setFilter] = useState({ ...empty, kind: fixedKind || '' });
  const [applied, setApplied] = useState(filter);
  const [page, setPage] = useState({ items: [], nextCursor: null });
  const [error, setError] = useState(null);
  const [selected, setSelected] = useState(null);
  const [verify, setVerify] = useState(null);

  const params = f => ({ ...f, from: toIso(f.from), to: toIso(f.to) });
  const load = cursor => api('GET', 'audit' + query({ ...params(applied), cursor, limit: 50 }))
    .then(p => setPage(cursor ? { items: [...page.items, ...p.items], nextCursor: p.nextCursor } : p), setError);
  useEffect(() => { load(); }, [applied]);

  const runVerify = async () => {
    setVerify({ running: true });
    try {
      setVerify({ result: await api('GET', 'audit/verify') });
    } catch (failure) {
      setVerify({ error: failure });
    }
  };
  const input = name => html`<input name=${name} value=${filter[name]} onInput=${e => setFilter({ ...filter, [name]: e.currentTarget.value })} />`;
  const exportLink = format => 'api/audit/export' + query({ ...params(applied), format });
  return html`<section>
    <form class="card filters" onSubmit=${e => { e.preventDefault(); setApplied(filter); }}>
      <${Field} label="From"><input type="datetime-local" value=${filter.from} onInput=${e => setFilter({ ...filter, from: e.currentTarget.value })} /><//>
      <${Field} label="To"><input type="datetime-local" value=${filter.to} onInput=${e => setFilter({ ...filter, to: e.currentTarget.value })} /><//>
      <${Field} label="Team id">${input('teamId')}<//>
      <${Field} label="Key id">${input('keyId')}<//>
      <${Field} label="Outcome">${input('outcome')}<//>
      <${Field} label="Model">${input('model')}<//>
      <${Field} label="Provider">${input('provider')}<//>
      <${Field} label="DLP category">${input('dlpCategory')}<//>
      ${!fixedKind && html`<${Field} label="Kind"><select value=${filter.kind} onChange=${e => setFilter({ ...filter, kind: e.currentTarget.value })}>
        <option value="">any</option>${['request', 'completion', 'rejection', 'admin'].map(k => html`<option value=${k}>${k}</option>`)}</select><//>`}
      <div class="actions">
        <button type="submit">Apply</button>
        <a class="button secondary" href=${exportLink('csv')} download="audit.csv">Export CSV</a>
        <a class="button secondary" href=${exportLink('jsonl')} download="audit.jsonl">Export JSONL</a>
        ${!fixedKind && html`<button type="button" onClick=${runVerify} data-action="verify">Verify chain</button>`}
      </div>
    </form>
    ${verify && html`<div class="card" data-testid="verify-result">
      <h2>Chain verification ${verify.result && (verify.result.ok ? html`<span class="yes">ok</span>` : html`<span class="no">broken</span>`)}</h2>
      ${verify.running && html`<p class="loading">Verifying…</p>`}
      <${ErrorBanner} error=${verify.error} />
      ${verify.result && html`<${JsonView} value=${verify.result} />`}
    </div>`}
    <${ErrorBanner} error=${error} />
    <div class="card">
      <table class="grid clickable" data-table="audit"><thead><tr><th>Time</th><th>Kind</th><th>Outcome</th><th>Team</th><th>Key</th><th>Model</th><th>Provider</th><th>Actor / action</th><th>Status</th></tr></thead>
        <tbody>${page.items.map(e => html`<tr onClick=${() => setSelected(e)} data-event=${e.id}>
          <td>${time(e.time)}</td><td>${e.kind}</td><td>${e.outcome}</td><td>${e.teamId}</td><td>${e.keyId}</td><td>${e.model}</td><td>${e.provider}</td>
          <td>${e.actor ? `${e.actor} ${e.action || ''}` : e.action}</td><td>${e.httpStatus}</td></tr>`)}</tbody></table>
      ${page.items.length === 0 && html`<p class="muted">No events match.</p>`}
      ${page.nextCursor && html`<button class="secondary" onClick=${() => load(page.nextCursor)}>Older events</button>`}
    </div>
    ${!fixedKind && html`<${Prove} />`}
    ${selected && html`<${Dialog} title=${'Event ' + selected.eventId} onClose=${() => setSelected(null)} name="event">
      <p class="muted">Partition ${selected.partitionId}, #${selected.partitionSeq} (what the row's MAC covers); row id ${selected.id} only locates it in the table.</p>
      <p class="muted">Time in your zone: ${time(selected.time)} (stored as ${selected.time} UTC)</p>
      <${JsonView} value=${selected} />
    <//>`}
  </section>`;
}

// An auditor pastes a text and an event id and learns whether that text is what was sent.
function Prove() {
  const [eventId, setEventId] = useState('');
  const [text, setText] = useState('');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const submit = async e => {
    e.preventDefault();
    try {
      setResult(await api('POST', 'audit/prove', { eventId: /^\d+$/.test(eventId.trim()) ? Number(eventId.trim()) : eventId.trim(), text }));
      setError(null);
    } catch (failure) {
      setResult(null);
      setError(failure);
    }
  };
  const fields = error ? error.fields : {};
  return html`<form method="post" class="card" onSubmit=${submit} data-form="prove">
    <h2>Prove what was sent</h2>
    <p class="muted">The server checks the event's row against its MAC and recomputes its keyed digest of the text; the text is not stored. Name the event by its event id (the uuid its MAC covers) or by its id (the row's place in the table).</p>
    <${Field} label="Event id" error=${fields.eventId}><input name="eventId" value=${eventId} onInput=${e => setEventId(e.currentTarget.value)} /><//>
    <${Field} label="Text" error=${fields.text}><textarea name="proveText" rows="4" value=${text} onInput=${e => setText(e.currentTarget.value)}></textarea><//>
    <button type="submit">Prove</button>
    <${ErrorBanner} error=${error && !error.problem.errors ? error : null} />
    ${result && html`<p data-testid="prove-result" class=${result.match ? 'yes' : 'no'} data-row-intact=${String(result.rowIntact)}>${proveVerdict(result)}</p>`}
  </form>`;
}

// The event is named by its event id, partition and sequence (what its MAC covers); the id only
// locates its row. An edited row proves nothing, whatever its stored digests say.
function proveVerdict(r) {
  const event = `event ${r.eventId} (partition ${r.partitionId}, #${r.partitionSeq}; id ${r.id})`;
  if (!r.rowIntact) {
    return `Edited row: ${event} no longer matches its MAC, so it proves nothing. Verify the chain to see where it breaks.`;
  }
  return r.match ? `Match: this is the ${r.matched} of ${event}.` : `No match: this text is not what ${event} recorded.`;
}
