// @ts-check
// What the page does with a result besides showing it: a cURL command that replays the payload, a
// Markdown report for a ticket, the local history of payloads and a diff between two of them, and
// the schema viewer's tree. Everything here only arranges what the core answered (the report, the
// masked text, the schema); nothing leaves the page.
import { diffLines } from 'diff';
import { h } from './decoded.js';
import { reformat } from './editor.js';

/** @typedef {import('voicehook').Report} Report */
/** @typedef {import('voicehook').Finding} Finding */

// --- cURL -------------------------------------------------------------------------------------------

/** `text` as one single-quoted shell word (POSIX sh, bash, zsh): every byte is kept. */
/** @param {string} text */
export function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The cURL command that POSTs `body` to `url` as 8x8 posts a webhook: JSON, the bytes as they are
 * in the editor (`--data-binary` keeps newlines; `--data` would drop them).
 * @param {string} url
 * @param {string} body
 */
export function curlCommand(url, body) {
  return [
    'curl --silent --show-error --fail-with-body',
    `  -X POST ${shellQuote(url)}`,
    `  -H 'Content-Type: application/json'`,
    `  --data-binary ${shellQuote(body)}`,
  ].join(' \\\n');
}

// --- Markdown -----------------------------------------------------------------------------------------

/** A table cell: pipes escaped, line breaks as spaces. */
/** @param {string} text */
function cell(text) {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The longest run of backticks in `text` (0 when it has none). */
/** @param {string} text */
function longestTicks(text) {
  return Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
}

/** Inline code holding `text` (a longer fence when the text holds backticks). */
/** @param {string} text */
function code(text) {
  const ticks = '`'.repeat(longestTicks(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** @param {string} title @param {Finding[]} items */
function findings(title, items) {
  if (items.length === 0) return [`### ${title}`, '', 'None.', ''];
  return [
    `### ${title} (${items.length})`,
    '',
    '| Where | Rule | Pointer | Message |',
    '| --- | --- | --- | --- |',
    ...items.map((d) =>
      `| ${d.line ? `${d.line}:${d.column ?? 1}` : '—'} | ${code(d.rule)} | ${d.pointer ? cell(code(d.pointer)) : '—'} | ${cell(d.message)} |`),
    '',
  ];
}

/** The longest run of backticks in `text`, plus one, at least three: a fence `text` cannot close. */
/** @param {string} text */
function fence(text) {
  return '`'.repeat(Math.max(3, longestTicks(text) + 1));
}

/** Payloads longer than this are left out of the Markdown report (a ticket is not an archive). */
export const MARKDOWN_PAYLOAD_LIMIT = 20000;

/**
 * The report as Markdown for a ticket. `payload` is the text to quote: the caller passes the
 * masked text when Mask is on (the report's messages are then masked by the core too).
 * @param {{report: Report, title: string, payload: string, masked: boolean, strict: boolean, predicted: string | null}} input
 */
export function markdownReport({ report, title, payload, masked, strict, predicted }) {
  const valid = report.valid === true;
  const counts = `${report.errors.length} error${report.errors.length === 1 ? '' : 's'}, ${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}`;
  const lines = [
    `## ${valid ? 'Valid' : 'Invalid'} ${title}${report.kind ? ` (${code(report.kind)})` : ''}: ${counts}`,
    '',
  ];
  if (predicted) lines.push(predicted, '');
  lines.push(...findings('Errors', report.errors), ...findings('Warnings', report.warnings));
  lines.push('### Payload', '');
  if (payload.length > MARKDOWN_PAYLOAD_LIMIT) {
    lines.push(`Not included: ${payload.length} characters.`, '');
  } else {
    const f = fence(payload);
    lines.push(`${f}json`, payload.replace(/\s+$/, ''), f, '');
  }
  lines.push(`Checked by voicehook in the browser; strict: ${strict ? 'yes' : 'no'}; phone numbers masked: ${masked ? 'yes' : 'no'}.`);
  return `${lines.join('\n')}\n`;
}

// --- the page's storage ------------------------------------------------------------------------------

/** The value saved under `key`, or null (nothing saved, or storage blocked by the browser). */
/** @param {string} key */
export function stored(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * Saves `value` under `key` (null removes it). False when the browser refused (storage full or
 * blocked).
 * @param {string} key
 * @param {string | null} value
 */
export function store(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

// --- history --------------------------------------------------------------------------------------

/** One saved payload. */
/** @typedef {{text: string, at: number, kind: string | null, valid: boolean | null, errors: number}} Entry */

const KEY = 'voicehook.history.v1';
/** Entries kept, newest first. */
export const HISTORY_SIZE = 20;
/** A payload longer than this is not saved (the page's storage holds a few MB in all). */
export const HISTORY_TEXT_LIMIT = 200_000;

/** The saved payloads, newest first (none when the storage is unreadable or blocked). */
/** @returns {Entry[]} */
export function loadHistory() {
  try {
    const list = JSON.parse(stored(KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((e) => e && typeof e.text === 'string') : [];
  } catch {
    return []; // not JSON: something else wrote the key
  }
}

/**
 * Saves `entry` first (an entry of the same text moves up). Returns the list, or null when the
 * storage refused it (full, or blocked by the browser's settings).
 * @param {Entry} entry
 */
export function remember(entry) {
  if (entry.text.trim() === '' || entry.text.length > HISTORY_TEXT_LIMIT) return loadHistory();
  const list = [entry, ...loadHistory().filter((e) => e.text !== entry.text)].slice(0, HISTORY_SIZE);
  return store(KEY, JSON.stringify(list)) ? list : null;
}

export function forgetHistory() {
  store(KEY, null);
}

/**
 * The lines that differ between two texts, both re-indented first when they are JSON (a minified
 * and a pretty-printed copy of one document then differ in nothing). Each part is
 * {kind: ' ' | '+' | '-', text}.
 * @param {string} a
 * @param {string} b
 */
export function lineDiff(a, b) {
  const norm = (/** @type {string} */ t) => (reformat(t, 2) ?? t).replace(/\r\n/g, '\n');
  return diffLines(norm(a), norm(b)).map((part) => ({
    kind: part.added ? '+' : part.removed ? '-' : ' ',
    text: part.value,
  }));
}

/** The diff drawn: removed lines red with `-`, added green with `+`, long unchanged runs cut. */
/** @param {ReturnType<typeof lineDiff>} parts */
export function renderDiff(parts) {
  const rows = [];
  for (const p of parts) {
    let lines = p.text.replace(/\n$/, '').split('\n');
    if (p.kind === ' ' && lines.length > 7) {
      lines = [...lines.slice(0, 3), `… ${lines.length - 6} unchanged lines …`, ...lines.slice(-3)];
    }
    for (const line of lines) rows.push(h('span', { class: `diff-line diff-${p.kind === '+' ? 'add' : p.kind === '-' ? 'del' : 'same'}` }, `${p.kind} ${line}\n`));
  }
  return rows;
}

// --- schema tree ------------------------------------------------------------------------------------

/** @typedef {Record<string, any>} Schema */

/**
 * The schema `s` with `$ref`s into the root's `$defs` followed (its own description and
 * siblings win over the target's).
 * @param {Schema} root
 * @param {Schema} s
 */
function resolved(root, s) {
  let out = s;
  const seen = new Set();
  while (out && typeof out.$ref === 'string' && out.$ref.startsWith('#/') && !seen.has(out.$ref)) {
    seen.add(out.$ref);
    const target = out.$ref.slice(2).split('/').reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], root);
    const { $ref, ...rest } = out;
    out = { ...target, ...rest };
  }
  return out ?? {};
}

/** @param {Schema} s */
function typeText(s) {
  if (Array.isArray(s.enum)) return 'one of';
  if (s.const !== undefined) return `= ${JSON.stringify(s.const)}`;
  const t = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (t) return t;
  if (s.oneOf || s.anyOf) return 'one of the shapes below';
  return '';
}

/**
 * The schema as nested <details>: one per property (name, type, required, description, the
 * allowed values), array items and alternatives under their parent. Depth-limited, so a
 * recursive schema ends.
 * @param {Schema} root
 */
export function schemaTree(root) {
  /**
   * @param {string} name
   * @param {Schema} raw
   * @param {boolean} required
   * @param {number} depth
   * @returns {HTMLElement}
   */
  function node(name, raw, required, depth) {
    const s = resolved(root, raw);
    const children = [];
    if (depth < 8) {
      const req = new Set(Array.isArray(s.required) ? s.required : []);
      for (const [k, v] of Object.entries(s.properties ?? {})) children.push(node(k, v, req.has(k), depth + 1));
      const items = s.items && typeof s.items === 'object' ? s.items : null;
      if (items) children.push(node('[ ]', items, false, depth + 1));
      for (const [i, alt] of (s.oneOf ?? s.anyOf ?? []).entries()) {
        const a = resolved(root, alt);
        children.push(node(a.title ?? `shape ${i + 1}`, alt, false, depth + 1));
      }
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        children.push(node('{ any name }', s.additionalProperties, false, depth + 1));
      }
    }
    const head = () => [
      h('code', { class: 'schema-name' }, name),
      ' ',
      h('span', { class: 'schema-type' }, typeText(s)),
      required ? h('span', { class: 'schema-req' }, ' required') : null,
    ];
    const body = [];
    if (s.description) body.push(h('p', { class: 'schema-desc' }, s.description));
    if (Array.isArray(s.enum)) body.push(h('p', { class: 'schema-enum' }, ...s.enum.flatMap((v, i) => [i ? ' ' : '', h('code', {}, JSON.stringify(v))])));
    const text = [name, s.description ?? '', ...(Array.isArray(s.enum) ? s.enum.map(String) : [])].join(' ').toLowerCase();
    if (children.length === 0) {
      return h('div', { class: 'schema-leaf', 'data-text': text, 'data-name': name }, h('div', { class: 'schema-head' }, head()), ...body);
    }
    return h('details', { class: 'schema-node', 'data-text': text, 'data-name': name, open: depth < 1 },
      h('summary', {}, head()), ...body, h('div', { class: 'schema-children' }, ...children));
  }
  return node(root.title ?? 'document', root, true, 0);
}

/**
 * Shows the rows of the tree whose name, description or values hold `query` (and the rows
 * around them), opening their parents. An empty query shows everything, as it was folded.
 * Returns how many rows matched.
 * @param {HTMLElement} tree
 * @param {string} query
 */
export function filterTree(tree, query) {
  const q = query.trim().toLowerCase();
  const rows = /** @type {HTMLElement[]} */ ([...tree.querySelectorAll('[data-text]')]);
  if (q === '') {
    for (const r of rows) r.hidden = false;
    return rows.length;
  }
  let hits = 0;
  for (const r of rows) r.hidden = true;
  for (const r of rows) {
    if (!(r.dataset.text ?? '').includes(q)) continue;
    hits += 1;
    r.hidden = false;
    r.classList.add('schema-hit');
    // its subtree stays visible, its parents open
    for (const c of /** @type {NodeListOf<HTMLElement>} */ (r.querySelectorAll('[data-text]'))) c.hidden = false;
    for (let p = r.parentElement; p && p !== tree.parentElement; p = p.parentElement) {
      if (p.dataset?.text !== undefined) p.hidden = false;
      if (p instanceof HTMLDetailsElement) p.open = true;
    }
  }
  for (const r of rows) if (!(r.dataset.text ?? '').includes(q)) r.classList.remove('schema-hit');
  return hits;
}
