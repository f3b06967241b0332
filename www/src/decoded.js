// @ts-check
// Renders what `analyze` decoded (the generated `Decoded` type, field by field): summary, outcome,
// product, legs, events, codes, idempotency key, facts, notes, and for a VSS the timeline.
import { statusClass, timeline } from './timeline.js';
import { LEGS_SHOWN as SHOWN } from './limits.js';

/** @typedef {import('voicehook').Decoded} Decoded */
/** @typedef {import('voicehook').Leg} Leg */
/** @typedef {import('voicehook').TimelineEvent} TimelineEvent */
/** @typedef {import('voicehook').CodeEntry} CodeEntry */
/** @typedef {import('voicehook').Explanation} Explanation */
/** @typedef {import('voicehook').ProductGuess} ProductGuess */
/** @typedef {string | number | boolean | null | undefined | Node} Leaf */
/** @typedef {Leaf | Array<Leaf | Array<Leaf | Leaf[]>>} Child */

/**
 * `h('p', {class: 'x'}, 'text', child...)`: a small element builder (text is never parsed as HTML).
 * @param {string} name
 * @param {Record<string, any>} [attrs]
 * @param {...Child} children
 */
export function h(name, attrs = {}, ...children) {
  const node = document.createElement(name);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/**
 * The items that are there (`replaceChildren` and `append` would write null as the text "null").
 * @param {...(Node | string | null | undefined | false)} items
 * @returns {Array<Node | string>}
 */
export function present(...items) {
  return /** @type {Array<Node | string>} */ (items.filter((x) => x !== null && x !== undefined && x !== false));
}

/** The line under a cut list: `first 200 of 1000 legs`. */
/**
 * @param {number} shown
 * @param {number} total
 * @param {string} what
 */
export function more(shown, total, what) {
  return h('p', { class: 'muted more', 'data-testid': 'more', 'data-shown': shown, 'data-total': total },
    `first ${shown} of ${total} ${what}`);
}

/** @param {number | null | undefined} v seconds */
function seconds(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  if (v >= 60) return `${Math.floor(v / 60)} min ${String(Math.round(v % 60)).padStart(2, '0')} s`;
  return `${Number.isInteger(v) ? v : v.toFixed(1)} s`;
}

/** @param {string | number | null | undefined} v */
const show = (v) => (v === null || v === undefined ? '—' : String(v));

/**
 * A sentence of the core's with its `code spans` as <code> (the core writes field names and
 * values in backticks, as Markdown does).
 * @param {string} text
 * @returns {Array<Node | string>}
 */
export function prose(text) {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? h('code', {}, part) : part)).filter((p) => p !== '');
}

/**
 * A definition list of label / value pairs (absent values left out).
 * @param {Array<[string, string | number | null | undefined]>} pairs
 */
function dl(pairs, cls = 'facts') {
  return h('dl', { class: cls }, pairs.filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? prose(v) : show(v))]));
}

/**
 * The product guess of a session summary, for a person.
 * @param {ProductGuess | null | undefined} product
 */
export function productText(product) {
  if (!product) return null;
  const names = { ivr: 'IVR', 'voice-messaging': 'Voice Messaging', 'number-masking': 'Number Masking', unknown: 'unknown product' };
  return { name: names[product.product] ?? product.product, id: product.product, why: product.reasons };
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

/**
 * One explained code: the decoded view's codes, the predicted code and the code lookup's matches.
 * @param {Explanation | CodeEntry} c
 */
export function codeItem(c) {
  const band = c.table === 'mos' ? `MOS ${c.min.toFixed(1)} to ${c.max.toFixed(1)}` : null;
  const hint = 'hint' in c ? c.hint : null;
  return h(
    'li',
    { class: 'code', 'data-code': c.code, 'data-table': c.table },
    h('div', { class: 'code-head' },
      h('code', { class: 'code-num' }, String(c.code)),
      // a status value is its own name (BUSY): shown once
      String(c.code) === c.name ? null : h('strong', {}, ` ${c.name}`),
      h('span', { class: 'muted' }, ` · ${TABLES[c.table] ?? c.table}`),
      band ? h('span', { class: 'muted' }, ` (${band})`) : null),
    h('p', {}, prose(c.meaning)),
    hint ? h('p', { class: 'hint' }, h('span', { class: 'hint-label' }, c.table === 'status' ? 'Note: ' : 'What to do: '), prose(hint)) : null,
  );
}

/** @param {Leg} leg */
function legItem(leg) {
  const cls = statusClass(leg);
  // The leg's other fields, as written.
  /** @type {Array<[string, string | number | null | undefined]>} */
  const rest = [
    ['Call id', leg.callId],
    ['Call type', leg.callType],
    ['Source ref id', leg.sourceRefId],
    ['Destination ref id', leg.destinationRefId],
    ['Initiated', leg.initiated],
    ['Connected', leg.connected],
    ['Disconnected', leg.disconnected],
    ['Call duration', leg.callDuration],
    ['Packet loss rate', leg.packetLossRate],
    ['Jitter', leg.jitter],
    ['SIP code', leg.sipCode],
  ];
  return h(
    'li',
    { class: `leg leg-${cls}`, 'data-leg': leg.key },
    h('div', { class: 'leg-head' },
      h('strong', {}, leg.key),
      ' ',
      h('span', { class: 'num' }, show(leg.from)), ' → ', h('span', { class: 'num' }, show(leg.to)),
      leg.direction ? h('span', { class: 'pill' }, leg.direction.toLowerCase()) : null,
      leg.status ? h('span', { class: `pill status-${cls}` }, leg.status) : null),
    leg.statusMeaning ? h('p', {}, leg.statusMeaning) : null,
    h('dl', { class: 'leg-facts' },
      h('dt', {}, 'Ring'), h('dd', {}, seconds(leg.ringSeconds)),
      h('dt', {}, 'Talk'), h('dd', {}, seconds(leg.talkSeconds)),
      h('dt', {}, 'Quality'), h('dd', {}, leg.mosBand ? `${leg.mosBand.name}${typeof leg.mos === 'number' ? ` (MOS ${leg.mos})` : ''}` : '—')),
    h('p', { class: 'story' }, leg.story),
    rest.some(([, v]) => v !== null && v !== undefined) ? dl(rest, 'facts small') : null,
  );
}

/**
 * The decoded view of `d` into `root` (replacing what was there). `counts` says how many legs and
 * events the whole view has when `d` holds only the first ones.
 * @param {HTMLElement} root
 * @param {Decoded} d
 * @param {{legs: number, events: number}} counts
 */
export function renderDecoded(root, d, counts) {
  root.replaceChildren();
  root.append(h('p', { class: 'summary', 'data-testid': 'summary' }, d.summary));
  const product = productText(d.product);
  root.append(dl([
    ['Outcome', d.outcome ? `${d.outcome.status === '' ? '(empty)' : d.outcome.status} — ${d.outcome.meaning}` : null],
    ['Product', product ? product.name + (product.why.length ? ` (${product.why.join('; ')})` : '') : null],
    ['Duration', d.durationSeconds === null || d.durationSeconds === undefined ? null : seconds(d.durationSeconds)],
  ]));

  if (d.legs.length) {
    // A long list is cut: drawing thousands of legs would keep the page busy on every keystroke.
    const legs = d.legs.slice(0, SHOWN);
    root.append(h('h4', {}, `Call legs (${counts.legs})`));
    const svg = timeline(legs, root.clientWidth - 18);
    if (svg) root.append(h('figure', { class: 'timeline-fig' }, svg, legend()));
    root.append(h('ul', { class: 'legs', 'data-testid': 'legs' }, legs.map(legItem)));
    if (legs.length < counts.legs) root.append(more(legs.length, counts.legs, 'legs'));
  }
  if (d.timeline.length) {
    const events = d.timeline.slice(0, SHOWN);
    root.append(h('h4', {}, 'Events'));
    root.append(h('ol', { class: 'events' }, events.map(eventItem)));
    if (events.length < counts.events) root.append(more(events.length, counts.events, 'events'));
  }
  if (d.codes.length) {
    root.append(h('h4', {}, 'Codes'));
    root.append(h('ul', { class: 'codes', 'data-testid': 'codes' }, d.codes.map(codeItem)));
  }
  if (d.idempotencyKey) {
    root.append(h('p', { class: 'idem' }, h('span', { class: 'muted' }, 'Idempotency key: '),
      h('code', { 'data-testid': 'idempotency-key' }, d.idempotencyKey)));
  }
  if (d.facts.length) root.append(h('h4', {}, 'Facts'), dl(d.facts.map((f) => [f.label, f.value])));
  if (d.notes.length) root.append(h('h4', {}, 'Notes'), h('ul', { class: 'notes' }, d.notes.map((n) => h('li', {}, prose(n)))));
}

/** @param {TimelineEvent} e */
function eventItem(e) {
  // The event's text usually names its leg already ("callA initiated"): the leg is then shown
  // as part of it, not twice.
  const leg = e.leg ?? '';
  const named = leg !== '' && e.event.startsWith(`${leg} `);
  const text = named ? e.event.slice(leg.length) : e.event;
  return h('li', {}, h('code', {}, e.at), ' ', leg ? h('strong', {}, leg) : null, leg && !named ? ' ' : null, text);
}

function legend() {
  // Each swatch with its word, so a narrow screen never wraps one away from the other.
  const key = (/** @type {string} */ sw, /** @type {string} */ word) =>
    h('span', { class: 'tl-key' }, h('span', { class: `sw sw-${sw}` }), word);
  return h('figcaption', { class: 'tl-legend' },
    key('ring', 'ringing'), key('ok', 'connected'), key('miss', 'not answered'), key('bad', 'failed'));
}
