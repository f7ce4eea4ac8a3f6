import { html } from '../html.js';
import { useEffect, useState } from '../../vendor/preact-hooks.mjs';
import { api } from '../api.js';
import { ErrorBanner, JsonView } from '../components.js';
import { time } from '../format.js';

export function Alerts({ canWrite }) {
  const [alerts, setAlerts] = useState(null);
  const [error, setError] = useState(null);
  const load = () => api('GET', 'alerts?limit=100').then(a => setAlerts(a.items), setError);
  useEffect(() => { load(); }, []);
  const retry = async (alert, delivery) => {
    try {
      await api('POST', `alerts/${alert.id}/deliveries/${encodeURIComponent(delivery.webhook)}/retry`);
      load();
    } catch (failure) {
      setError(failure);
    }
  };
  if (!alerts) return html`<${ErrorBanner} error=${error} />`;
  return html`<section class="card">
    <${ErrorBanner} error=${error} />
    ${alerts.length === 0 && html`<p class="muted">No alerts yet.</p>`}
    <table class="grid" data-table="alerts"><thead><tr><th>Time</th><th>Type</th><th>Key</th><th>Team</th><th>Details</th><th>Deliveries</th></tr></thead>
      <tbody>${alerts.map(a => html`<tr><td>${time(a.occurredAt)}</td><td>${a.type}</td><td>${a.keyId}</td><td>${a.teamId}</td>
        <td><${JsonView} value=${a.details} /></td>
        <td>${a.deliveries.map(d => html`<div class=${'delivery ' + d.state}>${d.webhook}: ${d.state} (${d.attempts} attempts${d.lastStatus ? ', last ' + d.lastStatus : ''})
          ${canWrite && d.state === 'failed' && html` <button class="link" onClick=${() => retry(a, d)}>Retry</button>`}</div>`)}</td></tr>`)}</tbody></table>
  </section>`;
}
