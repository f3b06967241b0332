// @ts-check
// The Simulate view: plays a call with the package's call engine (the core, in WebAssembly), in
// this page, with nothing sent anywhere. The caller's keys come from the keypad, your server's
// replies from the reply box (checked as you type, with what 8x8 would do with them). This file
// only wires controls and draws: what happens on the call is the engine's.
import { decode, simulate, validate } from 'voicehook';
import { h, renderDecoded } from './decoded.js';

/** @typedef {import('voicehook').Call} Call */
/** @typedef {import('voicehook').CallEvent} CallEvent */
/** @typedef {import('voicehook').CallScript} CallScript */
/** @typedef {import('virtual:examples').Example} Example */

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** `mm:ss.s` of a virtual time in ms. */
function clock(t) {
  const m = Math.floor(t / 60000);
  const s = (t % 60000) / 1000;
  return `${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

/** One event as a line of the transcript; `null` for the ones the other panels show. */
function line(e) {
  switch (e.event) {
    case 'created': return `Send Callflow answered CREATED (session ${e.response.sessionId})${(e.warnings ?? []).map((w) => `; warning: ${w}`).join('')}`;
    case 'refused': return `Send Callflow answered NOT_CREATED, statusCode ${e.response.statusCode}: ${e.reason}`;
    case 'dialing': return e.inbound ? `${e.leg} arrives from ${e.from}, calling ${e.to}` : `${e.leg} rings ${e.to} (from ${e.from})`;
    case 'answered': return `${e.leg} answers`;
    case 'notConnected': return `${e.leg} does not connect: ${e.status} (SIP ${e.sipCode})`;
    case 'say': return `caller hears “${e.text}”${e.repetition > 1 ? ` ×${e.repetition}` : ''}`;
    case 'play': return `caller hears ${e.url}${e.repetition > 1 ? ` ×${e.repetition}` : ''}`;
    case 'keys': return e.digits ? `caller presses ${e.digits}` : 'caller presses nothing';
    case 'capture': return e.valid ? `input ${e.dtmf} (${e.endedBy})` : `no valid input (${e.endedBy})`;
    case 'webhook': return `POST ${e.kind.toUpperCase()} ${summary(e)}`;
    case 'reply': return `your reply is ${e.valid ? 'valid' : 'invalid'}: ${e.outcome}${(e.warnings ?? []).map((w) => `; warning: ${w}`).join('')}`;
    case 'hangup': return `${e.by} hangs up`;
    case 'assumed': return `assumed: ${e.text}`;
    case 'ended': return `session ends ${e.status}${e.errorCode ? ` (${e.errorCode})` : ''}`;
  }
  return null;
}

/** @param {Extract<CallEvent, {event: 'webhook'}>} e */
function summary(e) {
  try {
    return decode(e.webhook, { kind: e.kind })?.summary ?? '';
  } catch {
    return '';
  }
}

/**
 * Wires the Simulate view. `callflowText()` is the document in the editor; `examples` the
 * documented ones (the Send Callflows among them are offered as starts).
 * @param {{callflowText: () => string, examples: Example[], say: (text: string) => void}} page
 */
export function setupSimulate(page) {
  const els = {
    start: /** @type {HTMLSelectElement} */ ($('sim-start')),
    callee: /** @type {HTMLSelectElement} */ ($('sim-callee')),
    play: /** @type {HTMLButtonElement} */ ($('sim-play')),
    log: $('sim-log'),
    keypad: $('sim-keypad'),
    keys: /** @type {HTMLOutputElement} */ ($('sim-keys')),
    send: /** @type {HTMLButtonElement} */ ($('sim-send-keys')),
    prompt: $('sim-prompt'),
    vcaBox: $('sim-vca-box'),
    vca: $('sim-vca'),
    copy: /** @type {HTMLButtonElement} */ ($('sim-copy-vca')),
    reply: /** @type {HTMLTextAreaElement} */ ($('sim-reply')),
    replyVerdict: $('sim-reply-verdict'),
    sendReply: /** @type {HTMLButtonElement} */ ($('sim-send-reply')),
    noReply: /** @type {HTMLButtonElement} */ ($('sim-no-reply')),
    legs: $('sim-legs'),
    summary: $('sim-summary'),
  };
  // The documented Send Callflows that 8x8 would accept: each played from an hour before its
  // validUntil (the pages' examples carry dates long past), those with placeholders left out.
  const starts = page.examples
    .filter((ex) => ex.kind === 'callflow' && ex.json)
    .map((ex) => {
      let until = NaN;
      try {
        until = Date.parse(JSON.parse(ex.text).validUntil);
      } catch {
        // not JSON: left out below
      }
      const start = Number.isFinite(until) ? until - 3_600_000 : Date.parse('2026-01-13T08:00:00Z');
      return { ex, start: new Date(start).toISOString() };
    })
    .filter(({ ex, start }) => validate(ex.text, { kind: 'callflow', now: Date.parse(start) }).valid);
  els.start.append(
    ...starts.map(({ ex }, i) => h('option', { value: `example:${i}` }, `Documented: ${ex.heading || ex.file.replace(/\.json$/, '')}`)),
    h('option', { value: 'inbound' }, 'A call to a virtual number (inbound IVR, Number Masking)'),
  );

  /** @type {Call | null} */
  let call = null;
  let typed = '';

  function setKeys(text) {
    typed = text;
    els.keys.value = text || '—';
  }

  function waiting() {
    return call?.state.waiting ?? 'done';
  }

  /** Enables what the call waits for, and focuses it. */
  function showState() {
    const state = call?.state ?? { waiting: 'done' };
    const keys = state.waiting === 'keys';
    for (const b of els.keypad.querySelectorAll('button')) /** @type {HTMLButtonElement} */ (b).disabled = !keys;
    els.prompt.textContent = state.waiting === 'keys' ? `Attempt ${state.attempt}: “${state.prompt}”. Key in the digits, then Send keys (nothing for silence).` : '';
    els.vcaBox.hidden = state.waiting !== 'reply';
    if (state.waiting === 'reply') {
      els.vca.textContent = JSON.stringify(state.webhook, null, 2);
      checkReply();
      els.reply.focus();
    } else if (keys) {
      setKeys('');
      /** @type {HTMLButtonElement} */ (els.keypad.querySelector('button'))?.focus();
    }
    els.play.textContent = state.waiting === 'done' ? 'Play' : 'Restart';
    $('simulate').dataset.state = state.waiting;
  }

  /** @param {CallEvent[]} events */
  function append(events) {
    for (const e of events) {
      const text = line(e);
      if (text === null) continue;
      const item = h('li', { 'data-event': e.event, ...(e.event === 'webhook' ? { 'data-kind': e.kind } : {}) },
        h('span', { class: 'sim-t' }, clock(e.t)), ' ', text);
      if (e.event === 'assumed') item.classList.add('muted');
      els.log.append(item);
      if (e.event === 'webhook' && e.kind === 'vss') {
        const decoded = decode(e.webhook, { kind: 'vss' });
        if (decoded) renderDecoded(els.summary, decoded, { legs: decoded.legs.length, events: decoded.timeline.length });
        els.summary.dataset.status = String(/** @type {any} */ (e.webhook).payload?.sessionStatus ?? '');
      }
    }
    els.log.scrollTop = els.log.scrollHeight;
    drawLegs();
  }

  /** The legs' timeline so far: ringing, then talking, from the call events. */
  function drawLegs() {
    const events = call?.events ?? [];
    const end = events.length ? events[events.length - 1].t : 0;
    /** @type {Map<string, {to: string, start: number, answered: number | null, end: number | null, status: string}>} */
    const legs = new Map();
    for (const e of events) {
      if (e.event === 'dialing') legs.set(e.leg, { to: e.to, start: e.t, answered: null, end: null, status: 'ringing' });
      const leg = 'leg' in e && typeof e.leg === 'string' ? legs.get(e.leg) : undefined;
      if (e.event === 'answered' && leg) Object.assign(leg, { answered: e.t, status: 'talking' });
      if (e.event === 'notConnected' && leg) Object.assign(leg, { end: e.t, status: e.status });
      if (e.event === 'ended') for (const l of legs.values()) if (l.end === null) Object.assign(l, { end: e.t, status: l.answered === null ? l.status : 'COMPLETED' });
    }
    const span = Math.max(end, 1000);
    const pct = (t) => `${((t / span) * 100).toFixed(2)}%`;
    els.legs.replaceChildren(...[...legs].map(([name, l]) => {
      const stop = l.end ?? end;
      const bar = h('div', { class: 'sim-bar' },
        h('span', { class: 'sim-ring', 'data-from': pct(l.start), 'data-to': pct(l.answered ?? stop) }),
        l.answered === null ? null : h('span', { class: 'sim-talk', 'data-from': pct(l.answered), 'data-to': pct(stop) }));
      for (const part of bar.querySelectorAll('span')) {
        const el = /** @type {HTMLElement} */ (part);
        // Positions as CSS custom properties through the CSSOM (the page's CSP allows no style attribute).
        el.style.setProperty('--from', el.dataset.from ?? '0');
        el.style.setProperty('--to', el.dataset.to ?? '0');
      }
      const talk = l.answered === null ? '' : `, talked ${((stop - l.answered) / 1000).toFixed(1)} s`;
      return h('div', { class: 'sim-leg', 'data-leg': name, 'data-status': l.status },
        h('span', { class: 'sim-leg-name' }, `${name} ${l.to}`), bar,
        h('span', { class: 'sim-leg-status' }, `${l.status}${talk}`));
    }));
  }

  function startCall() {
    els.log.replaceChildren();
    els.summary.replaceChildren(h('p', { class: 'muted' }, 'The session summary appears when the call ends.'));
    delete els.summary.dataset.status;
    /** @type {CallScript} */
    const script = { legs: [{ outcome: /** @type {any} */ (els.callee.value) }, {}] };
    const choice = els.start.value;
    try {
      if (choice === 'inbound') {
        call = simulate({ inbound: { from: '+12314377870', to: '+6568332048' } }, { legs: [{}, { outcome: /** @type {any} */ (els.callee.value) }] }, { interactive: true });
      } else {
        const documented = choice.startsWith('example:') ? starts[Number(choice.slice(8))] : null;
        const text = documented ? documented.ex.text : page.callflowText();
        call = simulate({ callflow: text }, documented ? { ...script, start: documented.start } : script, { interactive: true });
      }
    } catch (err) {
      call = null;
      els.log.append(h('li', { class: 'error' }, String(err instanceof Error ? err.message : err)));
      showState();
      return;
    }
    append(call.events);
    showState();
  }

  /** @param {string} key */
  function press(key) {
    if (waiting() !== 'keys') return;
    setKeys(typed + key);
  }

  function sendKeys() {
    if (!call || waiting() !== 'keys') return;
    append(call.press(typed));
    showState();
  }

  function checkReply() {
    const text = els.reply.value;
    if (text.trim() === '') {
      els.replyVerdict.textContent = 'An empty answer: 8x8 would end the session with -2003.';
      els.replyVerdict.dataset.valid = 'false';
      return;
    }
    const report = validate(text, { kind: 'vca-reply' });
    els.replyVerdict.dataset.valid = String(report.valid);
    els.replyVerdict.textContent = report.valid
      ? `Valid: 8x8 runs it${report.warnings.length ? ` (${report.warnings.length} warning${report.warnings.length > 1 ? 's' : ''}: ${report.warnings[0].message})` : ''}.`
      : `Invalid: ${report.errors[0].message}${report.errors[0].line ? ` (line ${report.errors[0].line}:${report.errors[0].column})` : ''}; 8x8 would end the session with -2003.`;
  }

  /** @param {string | null} body */
  function sendReply(body) {
    if (!call || waiting() !== 'reply') return;
    append(call.reply(body));
    showState();
  }

  els.play.addEventListener('click', startCall);
  els.keypad.addEventListener('click', (e) => {
    const b = /** @type {HTMLElement} */ (e.target).closest('button[data-key]');
    if (b instanceof HTMLButtonElement) press(b.dataset.key ?? '');
  });
  // Typing on the keypad works too: digits, * and #, Backspace, Enter to send.
  els.keypad.addEventListener('keydown', (e) => {
    if (/^[0-9*#]$/.test(e.key)) {
      press(e.key);
      e.preventDefault();
    } else if (e.key === 'Backspace') {
      setKeys(typed.slice(0, -1));
      e.preventDefault();
    } else if (e.key === 'Enter') {
      // Enter sends (Space still presses the focused key).
      e.preventDefault();
      sendKeys();
    }
  });
  els.send.addEventListener('click', sendKeys);
  els.reply.addEventListener('input', checkReply);
  els.reply.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) sendReply(els.reply.value);
  });
  els.sendReply.addEventListener('click', () => sendReply(els.reply.value));
  els.noReply.addEventListener('click', () => sendReply(null));
  els.copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(els.vca.textContent ?? '');
      page.say('Call action copied');
    } catch {
      page.say('Copy failed: select the text and copy it');
    }
  });
  setKeys('');
  showState();
}
