import { html } from './html.js';
import { useEffect, useRef } from '../vendor/preact-hooks.mjs';
import uPlot from '../vendor/uPlot.esm.js';

export function ErrorBanner({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${error.message || String(error)}</p>`;
}

// A labelled input with the API's message for that field shown beneath it.
export function Field({ label, error, children, hint }) {
  return html`<label class="field">
    <span class="label">${label}</span>
    ${children}
    ${hint && html`<span class="hint">${hint}</span>`}
    ${error && error.map(message => html`<span class="field-error">${message}</span>`)}
  </label>`;
}

export function Dialog({ title, onClose, children, name }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog && dialog.open && dialog.close();
  }, []);
  return html`<dialog ref=${ref} class="dialog" data-name=${name} onCancel=${e => { e.preventDefault(); onClose(); }}>
    <header><h2>${title}</h2><button class="link" onClick=${onClose} aria-label="Close">✕</button></header>
    <div class="dialog-body">${children}</div>
  </dialog>`;
}

export function Confirm({ text, action, onConfirm, onClose }) {
  return html`<${Dialog} title="Please confirm" onClose=${onClose} name="confirm">
    <p>${text}</p>
    <div class="actions">
      <button class="danger" onClick=${onConfirm}>${action}</button>
      <button class="secondary" onClick=${onClose}>Cancel</button>
    </div>
  <//>`;
}

// Any JSON value as nested definition lists and tables: used for results whose fields may grow
// (the chain verification, an audit event).
export function JsonView({ value }) {
  if (value === null || value === undefined) return html`<span class="muted">–</span>`;
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="muted">(none)</span>`;
    if (value.every(v => v && typeof v === 'object' && !Array.isArray(v))) {
      const columns = [...new Set(value.flatMap(v => Object.keys(v)))];
      return html`<table class="grid small"><thead><tr>${columns.map(c => html`<th>${c}</th>`)}</tr></thead>
        <tbody>${value.map(row => html`<tr>${columns.map(c => html`<td><${JsonView} value=${row[c]} /></td>`)}</tr>`)}</tbody></table>`;
    }
    return html`<span>${value.map(v => typeof v === 'object' ? JSON.stringify(v) : String(v)).join(', ')}</span>`;
  }
  if (typeof value === 'object') {
    return html`<dl class="json">${Object.entries(value).map(([k, v]) => html`<dt>${k}</dt><dd><${JsonView} value=${v} /></dd>`)}</dl>`;
  }
  return html`<span class=${typeof value === 'boolean' ? (value ? 'yes' : 'no') : ''}>${String(value)}</span>`;
}

const palette = ['#2f7d32', '#c62828', '#ef6c00', '#6a1b9a', '#1565c0', '#00838f', '#795548', '#455a64', '#ad1457', '#9e9d24', '#5d4037'];

// Series over time with uPlot; times arrive as ISO strings (UTC) and are shown in the browser's zone.
export function Chart({ buckets, series, height = 220, label = 'requests' }) {
  const ref = useRef(null);
  useEffect(() => {
    if (!ref.current) return undefined;
    const xs = buckets.map(b => Date.parse(b) / 1000);
    const data = [xs, ...series.map(s => s.values)];
    const plot = new uPlot({
      width: Math.max(ref.current.clientWidth, 320),
      height,
      series: [{}, ...series.map((s, i) => ({ label: s.name, stroke: palette[i % palette.length], width: 1.5, points: { show: false } }))],
      axes: [{}, { label, size: 60 }],
      legend: { live: false },
    }, data, ref.current);
    return () => plot.destroy();
  }, [buckets, series, height]);
  return html`<div class="chart" ref=${ref}></div>`;
}
