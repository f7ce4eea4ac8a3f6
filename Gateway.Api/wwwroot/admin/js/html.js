// Preact + htm: templates are tagged literals, and every interpolated value is set as text or as a
// DOM property, never parsed as HTML, so names, prompts and test texts cannot inject markup.
import { h, render } from '../vendor/preact.mjs';
import htm from '../vendor/htm.mjs';

export const html = htm.bind(h);
export { render };
