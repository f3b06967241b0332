// @ts-check
// The timeline picture of a decoded VSS: one row per call leg, initiated → connected →
// disconnected, the ring and talk segments colored by the leg's status, with a time axis.
// It only draws the offsets the core computed (decode's legs[].startOffsetMs...).

/** @typedef {import('voicehook').Leg} Leg */

const SVG = 'http://www.w3.org/2000/svg';

/**
 * @param {string} name
 * @param {Record<string, string | number | null | undefined>} [attrs]
 * @param {string} [text]
 */
function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @param {unknown} v @returns {number | null} */
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The CSS class of each leg result the core gives (`Leg.result`). */
const RESULT_CLASS = { answered: 'ok', 'not-answered': 'miss', failed: 'bad' };

/**
 * The CSS class for a leg: ok (answered), miss (not answered), bad (failed), other (the status
 * says nothing about how the leg ended). The core decides which; this only names the colour.
 * @param {import('voicehook').Leg} leg
 */
export function statusClass(leg) {
  return leg.result ? RESULT_CLASS[leg.result] : 'other';
}

/** A step of 1, 2 or 5 × 10^n seconds giving at most ~8 ticks over `span` ms. */
/** @param {number} spanMs */
function tickStep(spanMs) {
  const target = spanMs / 8;
  for (const base of [100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000]) {
    if (base >= target) return base;
  }
  return Math.ceil(target / 3600000) * 3600000;
}

/** @param {number} ms */
function label(ms) {
  const s = ms / 1000;
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}

/**
 * Builds the SVG for `legs`, `width` CSS pixels wide (so its text keeps its size on any screen),
 * or returns null when no leg has a start offset.
 * @param {Leg[]} legs
 * @param {number} [width]
 */
export function timeline(legs, width = 760) {
  const rows = legs.filter((l) => num(l.startOffsetMs) !== null);
  if (rows.length === 0) return null;
  const end = Math.max(1000, ...rows.map((l) => num(l.endOffsetMs) ?? num(l.connectOffsetMs) ?? num(l.startOffsetMs) ?? 0));
  const W = Math.max(300, Math.round(width));
  const left = W < 500 ? 96 : 130;
  const right = 20;
  const rowH = 34;
  const top = 12;
  const axisH = 28;
  const H = top + rows.length * rowH + axisH;
  const x = (ms) => left + ((W - left - right) * ms) / end;

  const svg = el('svg', {
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-labelledby': 'timeline-title',
    'data-testid': 'timeline',
    class: 'timeline',
    preserveAspectRatio: 'xMinYMin meet',
  });
  svg.append(el('title', { id: 'timeline-title' }, `Timeline of ${rows.length} call leg${rows.length === 1 ? '' : 's'}`));

  // Axis and grid.
  const step = tickStep(end);
  const axisY = top + rows.length * rowH + 4;
  const axis = el('g', { class: 'tl-axis' });
  axis.append(el('line', { x1: left, x2: W - right, y1: axisY, y2: axisY }));
  for (let ms = 0; ms <= end + 1; ms += step) {
    axis.append(el('line', { class: 'tl-grid', x1: x(ms), x2: x(ms), y1: top - 4, y2: axisY + 4 }));
    axis.append(el('text', { x: x(ms), y: axisY + 18, 'text-anchor': 'middle' }, label(ms)));
  }
  svg.append(axis);

  rows.forEach((leg, i) => {
    const y = top + i * rowH + rowH / 2;
    const cls = statusClass(leg);
    const g = el('g', { class: `tl-row tl-${cls}`, 'data-leg': leg.key });
    const name = leg.key;
    g.append(el('text', { class: 'tl-label', x: 8, y: y - 2 }, name));
    g.append(el('text', { class: 'tl-sub', x: 8, y: y + 12 }, String(leg.status ?? '')));
    const start = num(leg.startOffsetMs) ?? 0; // every row has one (filtered above)
    const connect = num(leg.connectOffsetMs);
    const stop = num(leg.endOffsetMs) ?? connect ?? start;
    const ringEnd = connect ?? stop;
    const ring = el('rect', {
      class: 'tl-ring',
      x: x(start),
      y: y - 5,
      width: Math.max(1, x(ringEnd) - x(start)),
      height: 10,
      rx: 2,
    });
    ring.append(el('title', {}, `${name}: ringing ${label(ringEnd - start)}${connect === null ? ', never answered' : ''}`));
    g.append(ring);
    if (connect !== null && stop !== null && stop >= connect) {
      const talk = el('rect', { class: 'tl-talk', x: x(connect), y: y - 9, width: Math.max(2, x(stop) - x(connect)), height: 18, rx: 3 });
      talk.append(el('title', {}, `${name}: connected ${label(stop - connect)}`));
      g.append(talk);
    }
    /** @type {Array<[number | null, string]>} */
    const marks = [
      [start, 'initiated'],
      [connect, 'connected'],
      [num(leg.endOffsetMs), 'disconnected'],
    ];
    for (const [ms, what] of marks) {
      if (ms === null) continue;
      const dot = el('circle', { class: `tl-mark tl-${what}`, cx: x(ms), cy: y, r: 4 });
      dot.append(el('title', {}, `${name} ${what} at ${label(ms)}`));
      g.append(dot);
    }
    svg.append(g);
  });
  return svg;
}
