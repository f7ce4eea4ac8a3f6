// Times are stored and sent in UTC; the console shows them in the browser's zone and names it.
export const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

export function time(value) {
  return value ? timeFormat.format(new Date(value)) : '';
}

export function number(value) {
  return value === null || value === undefined ? '–' : Number(value).toLocaleString();
}

// Under 10 ms (the gateway's own part usually is) with one decimal.
export function ms(value) {
  if (value === null || value === undefined) return '–';
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString()} ms`;
}

// A datetime-local input's value (local time) as ISO UTC, or undefined.
export function toIso(local) {
  return local ? new Date(local).toISOString() : undefined;
}
