// The console is a client of the admin API: every decision (who may do what, what is valid) is
// the API's. Paths are relative to the page (…/admin/), so the console works under a path base.
let csrfToken = null;
let onSessionEnded = () => {};

export function setApiSession(session, ended) {
  csrfToken = session ? session.csrfToken : null;
  if (ended) onSessionEnded = ended;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  // Field errors of a validation problem: { field: [messages] }.
  get fields() { return this.problem.errors || {}; }
}

export async function api(method, path, body, extraHeaders) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch('api/' + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const type = response.headers.get('content-type') || '';
  const data = response.status === 204 ? null : type.includes('json') ? await response.json() : await response.text();
  if (response.status === 401 && !path.startsWith('session') && !path.startsWith('setup')) {
    onSessionEnded();
  }
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: String(data) });
  return data;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

// Where this gateway's OpenAI endpoint is, as a browser on this page reaches it.
export function v1BaseUrl() {
  const path = window.location.pathname;
  const prefix = path.slice(0, path.lastIndexOf('/admin/'));
  return window.location.origin + prefix + '/v1';
}
