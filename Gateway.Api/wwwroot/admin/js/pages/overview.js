import { html } from '../html.js';
import { useEffect, useState } from '../../vendor/preact-hooks.mjs';
import { api, query } from '../api.js';
import { Chart, ErrorBanner } from '../components.js';
import { ms, number, time } from '../format.js';

const outcomes = ['allowed', 'dlp_blocked', 'rate_limited', 'upstream_error', 'rejected'];

// Five requests per refresh: usage by outcome, top keys, top teams, providers, latest alerts.
export function Overview() {
  const [range, setRange] = useState('1h');
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    const to = new Date();
    const from = new Date(to.getTime() - (range === '1h' ? 3600e3 : 86400e3));
    const span = { from: from.toISOString(), to: to.toISOString(), bucket: 'minute' };
    Promise.all([
      api('GET', 'usage' + query({ ...span, groupBy: 'outcome' })),
      api('GET', 'usage' + query({ ...span, groupBy: 'key', top: 5 })),
      api('GET', 'usage' + query({ ...span, groupBy: 'team', top: 5 })),
      api('GET', 'providers'),
      api('GET', 'alerts?limit=5'),
    ]).then(([usage, keys, teams, providers, alerts]) => setData({ usage, keys, teams, providers, alerts }), setError);
  }, [range]);

  if (error) return html`<${ErrorBanner} error=${error} />`;
  if (!data) return html`<p class="loading">Loading…</p>`;
  const { usage, keys, teams, providers, alerts } = data;
  const series = outcomes.map(o => ({ name: o, values: (usage.series.find(s => s.group === o) || { requests: usage.buckets.map(() => 0) }).requests }));
  return html`<section class="overview">
    <div class="toolbar">
      <span>Requests per minute over the last</span>
      <button class=${range === '1h' ? '' : 'secondary'} onClick=${() => setRange('1h')}>hour</button>
      <button class=${range === '24h' ? '' : 'secondary'} onClick=${() => setRange('24h')}>day</button>
    </div>
    <div class="cards">
      <div class="card stat"><span class="label">Requests</span><strong data-testid="total-requests">${number(usage.totals.requests)}</strong></div>
      <div class="card stat"><span class="label">Prompt / completion tokens</span><strong>${number(usage.totals.promptTokens)} / ${number(usage.totals.completionTokens)}</strong></div>
      <div class="card stat"><span class="label">Gateway-added latency p50 / p95</span><strong data-testid="gateway-latency">${ms(usage.gatewayLatency.p50Ms)} / ${ms(usage.gatewayLatency.p95Ms)}</strong></div>
      <div class="card stat"><span class="label">Upstream latency p50 / p95</span><strong data-testid="upstream-latency">${ms(usage.latency.p50Ms)} / ${ms(usage.latency.p95Ms)}</strong></div>
      ${outcomes.map(o => html`<div class="card stat"><span class="label">${o.replace('_', ' ')}</span><strong data-outcome=${o}>${number((usage.series.find(s => s.group === o) || { totalRequests: 0 }).totalRequests)}</strong></div>`)}
    </div>
    <div class="card"><${Chart} buckets=${usage.buckets} series=${series} /></div>
    <div class="columns">
      <div class="card"><h2>Top keys</h2>${Top(keys)}</div>
      <div class="card"><h2>Top teams</h2>${Top(teams)}</div>
    </div>
    <div class="columns">
      <div class="card"><h2>Providers</h2>
        <table class="grid"><thead><tr><th>Provider</th><th>Location</th><th>Health</th><th>Circuit</th></tr></thead>
          <tbody>${providers.map(p => html`<tr><td>${p.name}</td><td>${p.location}</td><td class=${'health-' + p.health}>${p.health}</td><td>${p.circuit}</td></tr>`)}</tbody></table>
      </div>
      <div class="card"><h2>Latest alerts</h2>
        ${alerts.items.length === 0 ? html`<p class="muted">No alerts.</p>` : html`<ul class="plain">${alerts.items.map(a => html`<li><strong>${a.type}</strong> <span class="muted">${time(a.occurredAt)}</span></li>`)}</ul>`}
      </div>
    </div>
  </section>`;
}

function Top(usage) {
  const rows = usage.series.filter(s => s.group !== 'other');
  if (rows.length === 0) return html`<p class="muted">No requests in this range.</p>`;
  return html`<table class="grid"><thead><tr><th>Name</th><th>Requests</th><th>Tokens</th></tr></thead><tbody>
    ${rows.map(s => html`<tr><td>${s.label || s.group || '(none)'}</td><td>${number(s.totalRequests)}</td>
      <td>${number(s.promptTokens.reduce((a, b) => a + b, 0) + s.completionTokens.reduce((a, b) => a + b, 0))}</td></tr>`)}
  </tbody></table>`;
}
