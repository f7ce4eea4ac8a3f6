import { html } from '../html.js';
import { useEffect, useState } from '../../vendor/preact-hooks.mjs';
import { api } from '../api.js';
import { ErrorBanner } from '../components.js';

export function Providers() {
  const [providers, setProviders] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => { api('GET', 'providers').then(setProviders, setError); }, []);
  if (!providers) return html`<${ErrorBanner} error=${error} />`;
  return html`<section class="card">
    <table class="grid" data-table="providers"><thead><tr><th>Name</th><th>Type</th><th>Location</th><th>Models</th><th>Health</th><th>Circuit</th></tr></thead>
      <tbody>${providers.map(p => html`<tr><td>${p.name}</td><td>${p.type}</td><td>${p.location}</td><td>${p.models.join(', ')}</td>
        <td class=${'health-' + p.health}>${p.health}</td><td>${p.circuit}</td></tr>`)}</tbody></table>
  </section>`;
}
