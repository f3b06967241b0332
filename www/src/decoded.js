// Renders what `decode` returned: summary, legs, codes, idempotency key, facts, and for a VSS the
// timeline. Fields it does not know are shown generically, so new ones from the core appear too.
import { statusClass, timeline } from './timeline.js';
import { LEGS_SHOWN as SHOWN } from './limits.js';

/** `h('p', {class: 'x'}, 'text', child...)`: a small element builder (text is never parsed as HTML). */
export function h(name, attrs = {}, ...children) {
  const node = document.createElement(name);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

const HANDLED = new Set([
  'kind', 'summary', 'outcome', 'product', 'productReasons', 'legs', 'timeline', 'codes', 'facts', 'idempotencyKey',
  'notes', 'durationSeconds',
]);

/** The line under a cut list: `first 200 of 1000 legs`. */
export function more(shown, total, what) {
  return h('p', { class: 'muted more', 'data-testid': 'more', 'data-shown': shown, 'data-total': total },
    `first ${shown} of ${total} ${what}`);
}

const words = (key) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').replace(/^./, (c) => c.toUpperCase());

function seconds(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (v >= 60) return `${Math.floor(v / 60)} min ${String(Math.round(v % 60)).padStart(2, '0')} s`;
  return `${Number.isInteger(v) ? v : v.toFixed(1)} s`;
}

/** A value for a person: strings as is, numbers, booleans, objects as compact JSON. */
function show(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
  return JSON.stringify(v);
}

function dl(obj, cls = 'facts') {
  const list = h('dl', { class: cls });
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    list.append(h('dt', {}, words(k)), h('dd', {}, show(v)));
  }
  return list;
}

/** The product guess: a string or `{product, reasons}`. */
export function productText(product, reasons) {
  if (!product) return null;
  const id = typeof product === 'string' ? product : product.product;
  const why = (typeof product === 'object' && product.reasons) || reasons || [];
  const names = { ivr: 'IVR', 'voice-messaging': 'Voice Messaging', 'number-masking': 'Number Masking', unknown: 'unknown product' };
  return { name: names[id] ?? id, id, why: Array.isArray(why) ? why : [String(why)] };
}

/** The tables a code can come from, as a person reads them (unknown ids are shown as they are). */
const TABLES = {
  'session-error': 'session error code',
  'api-status': 'API status code',
  'number-masking': 'Number Masking',
  'webhooks-api': 'Webhooks API status code',
  sip: 'SIP response',
  status: 'status value',
  mos: 'MOS band',
};

/** One explained code: the decoded view's codes, the predicted code and the code lookup's matches. */
export function codeItem(c) {
  const band = c.table === 'mos' && typeof c.min === 'number' && typeof c.max === 'number'
    ? `MOS ${c.min.toFixed(1)} to ${c.max.toFixed(1)}`
    : null;
  return h(
    'li',
    { class: 'code', 'data-code': c.code, 'data-table': c.table },
    h('div', { class: 'code-head' },
      h('code', { class: 'code-num' }, show(c.code)),
      c.name ? h('strong', {}, ` ${c.name}`) : null,
      c.table ? h('span', { class: 'muted' }, ` · ${TABLES[c.table] ?? c.table}`) : null,
      band ? h('span', { class: 'muted' }, ` (${band})`) : null),
    c.meaning ? h('p', {}, c.meaning) : null,
    c.hint ? h('p', { class: 'hint' }, h('span', { class: 'hint-label' }, c.table === 'status' ? 'Note: ' : 'What to do: '), c.hint) : null,
  );
}

function legItem(leg) {
  const cls = statusClass(leg.status);
  const rest = Object.fromEntries(
    Object.entries(leg).filter(([k]) => ![
      'key', 'from', 'to', 'direction', 'status', 'statusMeaning', 'ringSeconds', 'talkSeconds', 'mosBand', 'mos',
      'startOffsetMs', 'connectOffsetMs', 'endOffsetMs', 'story',
    ].includes(k)),
  );
  return h(
    'li',
    { class: `leg leg-${cls}`, 'data-leg': leg.key },
    h('div', { class: 'leg-head' },
      h('strong', {}, leg.key ?? 'leg'),
      ' ',
      h('span', { class: 'num' }, show(leg.from)), ' → ', h('span', { class: 'num' }, show(leg.to)),
      leg.direction ? h('span', { class: 'pill' }, String(leg.direction).toLowerCase()) : null,
      leg.status ? h('span', { class: `pill status-${cls}` }, leg.status) : null),
    leg.statusMeaning ? h('p', {}, leg.statusMeaning) : null,
    h('dl', { class: 'leg-facts' },
      h('dt', {}, 'Ring'), h('dd', {}, seconds(leg.ringSeconds)),
      h('dt', {}, 'Talk'), h('dd', {}, seconds(leg.talkSeconds)),
      h('dt', {}, 'Quality'), h('dd', {}, leg.mosBand ? `${leg.mosBand.name ?? show(leg.mosBand)}${typeof leg.mos === 'number' ? ` (MOS ${leg.mos})` : ''}` : '—')),
    leg.story ? h('p', { class: 'story' }, show(leg.story)) : null,
    Object.keys(rest).length ? dl(rest, 'facts small') : null,
  );
}

/**
 * The decoded view of `d` into `root` (replacing what was there). `counts` says how many legs and
 * events the whole view has when `d` holds only the first ones.
 */
export function renderDecoded(root, d, counts = { legs: d?.legs?.length ?? 0, events: d?.timeline?.length ?? 0 }) {
  root.replaceChildren();
  if (!d || typeof d !== 'object') {
    root.append(h('p', { class: 'muted' }, 'Nothing to decode.'));
    return;
  }
  if (d.summary) root.append(h('p', { class: 'summary', 'data-testid': 'summary' }, show(d.summary)));
  const head = {};
  if (d.outcome && typeof d.outcome === 'object') {
    head.outcome = `${d.outcome.status} — ${d.outcome.meaning}`;
  } else if (d.outcome !== undefined) head.outcome = d.outcome;
  const product = productText(d.product, d.productReasons);
  if (product) head.product = product.name + (product.why.length ? ` (${product.why.join('; ')})` : '');
  if (Object.keys(head).length) root.append(dl(head));

  if (Array.isArray(d.legs) && d.legs.length) {
    // A long list is cut: drawing thousands of legs would keep the page busy on every keystroke.
    const legs = d.legs.slice(0, SHOWN);
    root.append(h('h4', {}, `Call legs (${counts.legs})`));
    const svg = timeline(legs, root.clientWidth - 18);
    if (svg) root.append(h('figure', { class: 'timeline-fig' }, svg, legend()));
    root.append(h('ul', { class: 'legs', 'data-testid': 'legs' }, legs.map(legItem)));
    if (legs.length < counts.legs) root.append(more(legs.length, counts.legs, 'legs'));
  }
  if (Array.isArray(d.timeline) && d.timeline.length) {
    const events = d.timeline.slice(0, SHOWN);
    root.append(h('h4', {}, 'Events'));
    root.append(h('ol', { class: 'events' }, events.map(eventItem)));
    if (events.length < counts.events) root.append(more(events.length, counts.events, 'events'));
  }
  if (Array.isArray(d.codes) && d.codes.length) {
    root.append(h('h4', {}, 'Codes'));
    root.append(h('ul', { class: 'codes', 'data-testid': 'codes' }, d.codes.map(codeItem)));
  }
  if (d.idempotencyKey) {
    root.append(h('p', { class: 'idem' }, h('span', { class: 'muted' }, 'Idempotency key: '),
      h('code', { 'data-testid': 'idempotency-key' }, show(d.idempotencyKey))));
  }
  if (d.facts && typeof d.facts === 'object') {
    const facts = Array.isArray(d.facts)
      ? Object.fromEntries(d.facts.map((f, i) => [f.label ?? f.name ?? String(i + 1), f.value ?? f]))
      : d.facts;
    if (Object.keys(facts).length) root.append(h('h4', {}, 'Facts'), dl(facts));
  }
  if (Array.isArray(d.notes) && d.notes.length) {
    root.append(h('h4', {}, 'Notes'), h('ul', { class: 'notes' }, d.notes.map((n) => h('li', {}, show(n)))));
  }
  const rest = Object.fromEntries(Object.entries(d).filter(([k]) => !HANDLED.has(k)));
  if (Object.keys(rest).length) root.append(dl(rest, 'facts small'));
}

function eventItem(e) {
  if (!e || typeof e !== 'object') return h('li', {}, show(e));
  const when = e.at ?? e.time ?? e.timestamp ?? (typeof e.offsetMs === 'number' ? `+${e.offsetMs / 1000} s` : null);
  const what = e.text ?? e.event ?? e.what ?? e.message ?? e.description;
  const who = e.leg ?? e.key;
  return h('li', {}, when !== null ? h('code', {}, show(when)) : null, ' ', who ? h('strong', {}, `${who} `) : null,
    what !== undefined ? show(what) : JSON.stringify(e));
}

function legend() {
  return h('figcaption', { class: 'tl-legend' },
    h('span', { class: 'sw sw-ring' }), 'ringing ',
    h('span', { class: 'sw sw-ok' }), 'connected ',
    h('span', { class: 'sw sw-miss' }), 'not answered ',
    h('span', { class: 'sw sw-bad' }), 'failed');
}
