// @ts-check
// The voicehook page. Every answer comes from the npm package (WebAssembly): this file only wires
// the editor, the controls and the rendering together. Nothing here leaves the page. The checks
// run in worker.js; the main thread keeps the package for the lookups and actions a click asks for.
import { explainCode, init, kinds, lookupCode, mask, redact, repair, rules, schema, vcaReply } from 'voicehook';
import examples from 'virtual:examples';
import { createEditor } from './editor.js';
import { codeItem, h, present, productText, prose, renderDecoded } from './decoded.js';
import { DIAGNOSTICS_SHOWN } from './limits.js';
import { setupSimulate } from './simulate.js';
import {
  curlCommand, filterTree, forgetHistory, lineDiff, loadHistory, markdownReport, remember, renderDiff, schemaTree, store, stored,
} from './workbench.js';

/** @typedef {import('voicehook').Report} Report */
/** @typedef {import('voicehook').Decoded} Decoded */
/** @typedef {import('voicehook').Detection} Detection */
/** @typedef {import('voicehook').Finding} Finding */
/** @typedef {import('voicehook').Explanation} Explanation */
/** @typedef {import('voicehook').KindInfo} KindInfo */
/** @typedef {import('voicehook').Kind} Kind */
/** @typedef {import('./worker.js').Request} Request */
/** @typedef {import('./worker.js').Counts} Counts */
/** @typedef {import('./worker.js').Answer} Answer */

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
/** @param {string} id */
const select = (id) => /** @type {HTMLSelectElement} */ (document.getElementById(id));
/** @param {string} id */
const button = (id) => /** @type {HTMLButtonElement} */ (document.getElementById(id));
const els = {
  kind: select('kind'),
  strict: input('strict'),
  mask: input('mask'),
  open: $('open'),
  file: input('file'),
  clear: $('clear'),
  verdict: $('verdict'),
  detected: $('detected'),
  predicted: $('predicted'),
  errors: $('errors'),
  warnings: $('warnings'),
  errorsCount: $('errors-count'),
  warningsCount: $('warnings-count'),
  decoded: $('decoded'),
  examples: select('examples'),
  exampleNote: $('example-note'),
  code: input('code'),
  codeResult: $('code-result'),
  schemaKind: select('schema-kind'),
  schemaShow: $('schema-show'),
  schemaDownload: $('schema-download'),
  schemaView: $('schema-view'),
  repairBox: $('repair-box'),
  repair: button('repair'),
  repairChanges: $('repair-changes'),
  redact: button('redact'),
  share: $('share'),
  copyReport: $('copy-report'),
  status: $('action-status'),
  drop: $('drop'),
  wrap: $('editor-wrap'),
  try: $('try'),
  format: $('format'),
  minify: $('minify'),
  copyMarkdown: $('copy-markdown'),
  curlUrl: input('curl-url'),
  copyCurl: $('copy-curl'),
  replyBox: $('reply-box'),
  replyTemplate: $('reply-template'),
  replyVerdict: $('reply-verdict'),
  copyReply: $('copy-reply'),
  editReply: $('edit-reply'),
  schemaBox: $('schema-box'),
  schemaSearch: input('schema-search'),
  schemaFound: $('schema-found'),
  history: $('history'),
  diffA: select('diff-a'),
  diffB: select('diff-b'),
  diffShow: $('diff-show'),
  diff: $('diff'),
  historyClear: $('history-clear'),
  verdictBar: $('verdict-bar'),
};

/** @type {KindInfo[]} */
let kindInfo = [];
/** The rules whose findings `repair` fixes, from the catalog. */
/** @type {Set<string>} */
let repairable = new Set();
/** What is on screen: the answer to request `id`, for `text` checked with `options`. */
/** @type {{id: number, text: string, options: Request['options'], report: Report, decoded: Decoded | null, counts: Counts} | null} */
let last = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
let runCount = 0; // checks run so far, on the verdict as data-run (tests wait on it)

const editor = createEditor($('editor'), {
  attrs: {
    'data-testid': 'input',
    'aria-label': 'Payload JSON: paste, type or drop a .json file; validation runs as you type',
    'aria-multiline': 'true',
    spellcheck: 'false',
    // in the tab order explicitly (a contenteditable is already), so the scroll area around it
    // is known to be reachable from the keyboard
    tabindex: '0',
  },
  placeholderText: 'Paste a webhook body or a callflow here, or drop a .json file. Ctrl+Space completes a field name or value.',
  onChange() {
    clearTimeout(timer);
    requestId += 1; // an answer for the text before this edit is stale
    els.verdict.dataset.busy = 'true';
    timer = setTimeout(check, 120);
  },
  onFiles: loadFiles,
});

/** @param {Kind} id */
function title(id) {
  return kindInfo.find((k) => k.id === id)?.title ?? id;
}

/** @returns {Request['options']} */
function options() {
  return { kind: /** @type {Kind | 'auto'} */ (els.kind.value), strict: els.strict.checked, mask: els.mask.checked };
}

// The checker runs in a module worker (worker.js): one analyze pass per change, off the main
// thread. Each request has an id; only the answer to the newest request is shown.
const worker = new Worker(new URL('worker.js', document.baseURI), { type: 'module' });
let requestId = 0; // the newest request; answers to older ones are stale
let requested = { id: 0, text: '', options: options(), started: 0 };
let keepRepairFor = 0; // the request whose render keeps the repair box (the one Repair made)

/**
 * Asks the worker to check the editor text (the answer is shown when it comes, see `shown`).
 * Returns the request id.
 */
function check() {
  clearTimeout(timer);
  const text = editor.text();
  const id = ++requestId;
  if (text.trim() === '') {
    last = null;
    showEmpty();
    finished();
    return id;
  }
  els.verdict.dataset.busy = 'true';
  requested = { id, text, options: options(), started: performance.now() };
  worker.postMessage({ type: 'analyze', id, text, options: requested.options });
  return id;
}

/** After a result (or the empty state) is on screen. */
function finished() {
  delete els.verdict.dataset.busy;
  runCount += 1;
  els.verdict.dataset.run = String(runCount);
  followShare();
}

worker.addEventListener('message', (/** @type {MessageEvent<Answer>} */ event) => {
  const message = event.data;
  if (message.type === 'failed' && message.id === requestId) {
    last = null;
    showEmpty();
    els.verdict.replaceChildren(h('span', { class: 'verdict-text' }, `voicehook could not check this text: ${message.message}`));
    finished();
    return;
  }
  if (message.type !== 'result' || message.id !== requestId) return; // stale: a newer request is on its way
  const { report, decoded, counts, detection } = message;
  last = { id: message.id, text: requested.text, options: requested.options, report, decoded, counts };
  render(report, decoded, counts, detection, message.id === keepRepairFor);
  els.verdict.dataset.ms = (performance.now() - requested.started).toFixed(2);
  finished();
});

function showEmpty() {
  els.try.hidden = false;
  els.replyBox.hidden = true;
  els.verdictBar.hidden = true;
  delete els.verdict.dataset.valid;
  delete els.verdict.dataset.ms;
  els.verdict.className = 'verdict';
  els.verdict.replaceChildren(h('span', { class: 'verdict-text' }, 'Paste a payload to check it.'));
  els.detected.textContent = '';
  els.predicted.hidden = true;
  els.repairBox.hidden = true;
  els.errors.replaceChildren();
  els.warnings.replaceChildren();
  els.errorsCount.textContent = '';
  els.warningsCount.textContent = '';
  els.decoded.replaceChildren(h('p', { class: 'muted' }, 'The decoded view appears here.'));
  editor.mark([]);
}

/** `text` ending with a full stop. */
/** @param {string} text */
function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * @param {number} n
 * @param {string} word
 */
function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * @param {Report} report
 * @param {Decoded | null} decoded
 * @param {Counts} counts
 * @param {Detection | null} detection
 * @param {boolean} keepRepair
 */
function render(report, decoded, counts, detection, keepRepair) {
  els.try.hidden = true;
  const valid = report.valid === true;
  els.verdict.dataset.valid = String(valid);
  els.verdict.className = `verdict ${valid ? 'ok' : 'bad'}`;
  const what = report.kind ? title(report.kind) : 'document';
  // A document that also reads as another kind (a callflow without validUntil is also a VCA
  // reply): one click checks it as that kind. The core says which kind; the page only switches.
  const other = report.alsoReadsAs ?? null;
  els.verdict.replaceChildren(...present(
    h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, valid ? '✓' : '✗'),
    h('span', { class: 'verdict-text' },
      valid ? `Valid ${what}` : `Invalid ${what}: ${plural(report.errors.length, 'error')}`,
      report.warnings.length ? `, ${plural(report.warnings.length, 'warning')}` : ''),
    other
      ? h('button', {
        type: 'button',
        class: 'also-reads-as',
        'data-testid': 'also-reads-as',
        'data-kind': other,
        title: `This document also reads as ${title(other)}: check it as that kind`,
        onclick: () => {
          els.kind.value = other;
          check();
        },
      }, `Check as ${other}`)
      : null
  ));

  // Detected kind and, for a VSS, the product guess.
  els.detected.replaceChildren();
  els.detected.dataset.kind = report.kind ?? '';
  if (report.kind) {
    const how = els.kind.value === 'auto' ? 'Detected' : 'Checked as';
    els.detected.append(`${how}: `, h('strong', {}, report.kind), ` (${title(report.kind)})`);
  } else {
    els.detected.append('Kind: not recognised');
  }
  // Why this kind (detect's answer, asked only when the kind is detected), and for a VSS the
  // likely product (decode's answer).
  if (detection) els.detected.append(h('span', { class: 'muted' }, ' — ', prose(detection.reason)));
  const product = productText(decoded?.product);
  if (product) {
    els.detected.dataset.product = product.id;
    els.detected.append(h('br'), 'Likely product: ', h('strong', {}, product.name),
      product.why.length ? h('span', { class: 'muted' }, ' (', prose(product.why.join('; ')), ')') : '');
  } else {
    delete els.detected.dataset.product;
  }

  followKind(report.kind ?? null);
  renderPredicted(report);
  renderDiagnostics(els.errors, els.errorsCount, report.errors, 'error');
  renderDiagnostics(els.warnings, els.warningsCount, report.warnings, 'warning');
  editor.mark([
    ...report.errors.map((d) => ({ ...d, severity: /** @type {const} */ ('error') })),
    ...report.warnings.map((d) => ({ ...d, severity: /** @type {const} */ ('warning') })),
  ]);
  // Not plain JSON in a way repair can fix (the catalog says which rules): offer the repair.
  if (!keepRepair) {
    els.repairBox.hidden = !report.errors.some((d) => repairable.has(d.rule));
    els.repairChanges.replaceChildren();
  }

  if (decoded) renderDecoded(els.decoded, decoded, counts);
  else els.decoded.replaceChildren(h('p', { class: 'muted' }, 'Nothing to decode until the document is readable.'));
  renderReply(report);
  showVerdictBar();
  saveSoon();
}

// --- the verdict on a phone -----------------------------------------------------------------------
// Below the editor on a narrow screen, the verdict is off screen after a paste: a bar at the
// bottom of the screen repeats it (a tap goes to the results) while the verdict itself is not
// in view.
let verdictInView = true;
new IntersectionObserver((entries) => {
  verdictInView = entries.some((e) => e.isIntersecting);
  showVerdictBar();
}).observe(els.verdict);

function showVerdictBar() {
  const text = els.verdict.querySelector('.verdict-text')?.textContent ?? '';
  const on = !verdictInView && last !== null;
  els.verdictBar.hidden = !on;
  if (!on) return;
  els.verdictBar.className = `verdict-bar ${els.verdict.dataset.valid === 'true' ? 'ok' : 'bad'}`;
  els.verdictBar.textContent = `${els.verdict.dataset.valid === 'true' ? '✓' : '✗'} ${text} — see the results`;
}

// --- a reply to a VCA -----------------------------------------------------------------------------

/** @type {string | null} */
let replyText = null;

/**
 * For a call action: a reply the server can return, built with the package's builder (which
 * asks the core whether it is valid) and with the VCA's clientActionId echoed.
 * @param {Report} report
 */
function renderReply(report) {
  let doc = null;
  if (report.kind === 'vca') {
    try {
      doc = JSON.parse(last?.text ?? '');
    } catch {
      doc = null;
    }
  }
  const payload = doc && typeof doc === 'object' ? doc.payload : null;
  if (!payload || typeof payload !== 'object') {
    els.replyBox.hidden = true;
    replyText = null;
    return;
  }
  const id = typeof payload.clientActionId === 'string' && payload.clientActionId !== '' ? payload.clientActionId : null;
  const reply = vcaReply({ clientActionId: id ?? undefined })
    .say({ text: 'Thank you for calling. Goodbye.', voiceProfile: 'en-US-ZiraRUS' })
    .hangup();
  replyText = JSON.stringify(reply.build(), null, 2);
  const checked = reply.check();
  els.replyTemplate.textContent = replyText;
  els.replyVerdict.textContent = checked.valid
    ? `A valid ${title('vca-reply')}${id ? `, clientActionId ${id}` : ' (this call action has no clientActionId to echo)'}.`
    : `voicehook finds ${plural(checked.errors.length, 'error')} in it: ${checked.errors[0]?.message ?? ''}`;
  els.replyVerdict.dataset.valid = String(checked.valid);
  els.replyBox.hidden = false;
}

els.copyReply.addEventListener('click', () => replyText && copy(replyText, 'Reply'));
els.editReply.addEventListener('click', () => {
  if (!replyText) return;
  els.kind.value = 'vca-reply';
  editor.setText(replyText);
  check();
});

/**
 * Completion and hover follow the kind being checked (the one chosen, else the one detected);
 * so does the schema viewer until a kind is picked there.
 * @param {Kind | null} detected
 */
function followKind(detected) {
  const chosen = els.kind.value === 'auto' ? detected : /** @type {Kind} */ (els.kind.value);
  editor.setSchema(chosen ? schemaOf(chosen) : undefined);
  if (chosen && !schemaPicked && els.schemaKind.value !== chosen) {
    els.schemaKind.value = chosen;
    if (!els.schemaBox.hidden) showSchema();
  }
}

/** @type {Map<Kind, object>} */
const schemas = new Map();
/** The JSON Schema of a kind (the core's, parsed once). */
/** @param {Kind} kind */
function schemaOf(kind) {
  let s = schemas.get(kind);
  if (!s) {
    s = /** @type {object} */ (schema(kind));
    schemas.set(kind, s);
  }
  return s;
}

/**
 * What 8x8 would answer, as the page and the Markdown report say it: the Send Callflow status
 * code, else the session error code; null when the core predicts neither.
 * @param {Report} report
 */
function predicted(report) {
  const status = report.predictedStatusCode ?? null;
  const code = status ?? report.predictedSessionErrorCode ?? null;
  if (code === null) return null;
  return { code, label: status !== null ? '8x8 would answer with status code' : '8x8 would end the call with session error' };
}

/** @param {Report} report */
function renderPredicted(report) {
  const p = predicted(report);
  if (p === null) {
    els.predicted.hidden = true;
    return;
  }
  const { code, label } = p;
  els.predicted.hidden = false;
  els.predicted.dataset.code = String(code);
  const explained = explainCode(code);
  els.predicted.replaceChildren(...present(
    h('p', {}, `${label} `, h('code', { class: 'code-num' }, String(code))),
    explained.length ? h('ul', { class: 'codes' }, explained.map(codeItem)) : null
  ));
}

/** The rule of the warning that closes a report the core cut at its findings limit. */
const TRUNCATED = 'report.truncated';

/**
 * Lists the first DIAGNOSTICS_SHOWN of `items` ("first 200 of N errors" under them). The core's
 * `report.truncated` warning, which closes a report it cut, is always shown.
 */
/**
 * @param {HTMLElement} list
 * @param {HTMLElement} count
 * @param {Finding[]} items
 * @param {'error' | 'warning'} severity
 */
function renderDiagnostics(list, count, items, severity) {
  count.textContent = items.length ? `(${items.length})` : '';
  const shown = items.slice(0, DIAGNOSTICS_SHOWN);
  const cut = items.find((d) => d.rule === TRUNCATED);
  if (cut && !shown.includes(cut)) shown.push(cut);
  list.replaceChildren(
    ...shown.map((d) => {
      const where = d.line ? `${d.line}:${d.column ?? 1}` : '—';
      const button = h(
        'button',
        {
          type: 'button',
          class: 'diag',
          onclick: () => d.line && editor.goTo(d.line, d.column),
        },
        // Named by what it shows (46:23, the message, rule and pointer), the severity last
        // for a screen reader.
        h('span', { class: 'loc' }, where),
        ' ',
        h('span', { class: 'msg' }, d.message),
        ' ',
        h('span', { class: 'meta' }, h('code', { class: 'rule' }, d.rule), d.pointer ? ' ' : null, d.pointer ? h('code', { class: 'ptr' }, d.pointer) : null),
        h('span', { class: 'sr-only' }, ` (${severity})`),
      );
      return h('li', { 'data-pointer': d.pointer ?? '', 'data-line': d.line ?? '', 'data-column': d.column ?? '', 'data-rule': d.rule }, button);
    }),
  );
  if (items.length > DIAGNOSTICS_SHOWN) {
    const total = cut && severity === 'warning' ? items.length - 1 : items.length; // the closing warning aside
    list.append(h('li', { class: 'more muted', 'data-testid': `${severity}s-more`, 'data-shown': DIAGNOSTICS_SHOWN, 'data-total': total },
      `first ${DIAGNOSTICS_SHOWN} of ${plural(total, severity)}`));
  }
  if (items.length === 0) list.append(h('li', { class: 'none' }, severity === 'error' ? 'No errors.' : 'No warnings.'));
}

// --- input ---------------------------------------------------------------------------------------

/** @param {FileList} files */
async function loadFiles(files) {
  const file = files[0];
  if (!file) return;
  // A picture or an archive is not a payload: say so instead of checking its bytes as text.
  const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  if (head.includes(0) || /^(image|audio|video)\//.test(file.type)) {
    say(`${file.name} is not a JSON file${file.type ? ` (${file.type})` : ''}: nothing was loaded.`);
    return;
  }
  const text = await file.text();
  editor.setText(text);
  els.examples.value = '';
  els.exampleNote.textContent = `Loaded ${file.name}.`;
  check();
}

els.open.addEventListener('click', () => els.file.click());
els.file.addEventListener('change', () => {
  if (els.file.files?.length) loadFiles(els.file.files);
  els.file.value = '';
});
els.clear.addEventListener('click', () => {
  stopSharing();
  editor.setText('');
  check();
  editor.view.focus();
});
els.kind.addEventListener('change', check);
els.format.addEventListener('click', () => reformatText('format'));
els.minify.addEventListener('click', () => reformatText('minify'));

/** @param {'format' | 'minify'} how */
function reformatText(how) {
  if (editor.text().trim() === '') return say('Nothing to format yet.');
  if (!editor.reformat(how)) {
    say(`${how === 'format' ? 'Format' : 'Minify'} needs plain JSON: fix the syntax errors first (Repair removes comments and trailing commas).`);
    return;
  }
  check();
}
els.strict.addEventListener('change', check);
els.mask.addEventListener('change', check);

// Dropping anywhere on the editor area (CodeMirror handles drops on the text itself).
let dragDepth = 0;
els.wrap.addEventListener('dragenter', (e) => {
  if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
  dragDepth += 1;
  els.drop.hidden = false;
});
els.wrap.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) els.drop.hidden = true;
});
els.wrap.addEventListener('dragover', (e) => {
  if ([...(e.dataTransfer?.types ?? [])].includes('Files')) e.preventDefault();
});
els.wrap.addEventListener('drop', (e) => {
  dragDepth = 0;
  els.drop.hidden = true;
  if (!e.defaultPrevented && e.dataTransfer?.files?.length) {
    e.preventDefault();
    loadFiles(e.dataTransfer.files);
  }
});

// --- help: examples, code lookup, schemas ---------------------------------------------------------

/** `number-masking--call-action-handling.md` → `Number masking › Call action handling`. */
/** @param {string} page */
function pageTitle(page) {
  return page
    .replace(/\.(md|mdx)$/, '')
    .split('--')
    .map((part) => part.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()))
    .join(' › ');
}

function fillExamples() {
  const groups = new Map();
  const label = (/** @type {typeof examples[number]} */ ex) =>
    [ex.heading || ex.file, ex.kind ? `(${ex.kind})` : '', ex.json ? '' : '· not plain JSON'].filter(Boolean).join(' ');
  // A page can hold several examples under one heading: they are numbered, "2 of 4".
  const total = new Map();
  for (const ex of examples) total.set(label(ex), (total.get(label(ex)) ?? 0) + 1);
  const seen = new Map();
  examples.forEach((ex, i) => {
    const page = ex.page ? pageTitle(ex.page) : 'Other';
    if (!groups.has(page)) groups.set(page, h('optgroup', { label: page }));
    const name = label(ex);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const shown = total.get(name) > 1 ? `${name} · ${n} of ${total.get(name)}` : name;
    groups.get(page).append(h('option', { value: String(i), 'data-file': ex.file }, shown));
  });
  els.examples.append(...groups.values());
  if (examples.length === 0) els.exampleNote.textContent = 'No examples in this build.';
}

/** @param {number} i */
function loadExample(i) {
  const ex = examples[i];
  if (!ex) return;
  els.kind.value = ex.kind && kindInfo.some((k) => k.id === ex.kind) ? ex.kind : 'auto';
  editor.setText(ex.text);
  els.exampleNote.replaceChildren(...present(
    h('span', {}, [ex.page && pageTitle(ex.page), ex.heading].filter(Boolean).join(' › ')),
    ex.note ? h('span', {}, ` — ${ex.note}`) : null,
    ex.json ? null : h('span', {}, ' This example is not plain JSON as printed; use “Repair” to fix it.')
  ));
  check();
}

els.examples.addEventListener('change', () => {
  if (els.examples.value !== '') loadExample(Number(els.examples.value));
});

/** Shows what the code lookup's text means: the matches, or suggestions to click when none. */
function showLookup() {
  const text = els.code.value.trim();
  els.codeResult.replaceChildren();
  if (text === '') return;
  const { matches, suggestions } = lookupCode(text);
  if (matches.length) {
    // A status written another way (NO ANSWER, cancelled) is explained as 8x8's spelling: say so once.
    const spelled = matches.find((m) => m.table === 'status' && m.spelling);
    const spelling = spelled?.table === 'status' ? spelled.spelling : null;
    els.codeResult.append(...present(
      spelled && spelling
        ? h('p', { class: 'spelling', 'data-testid': 'code-spelling' },
          h('code', {}, spelling.written), ' is read as ', h('code', {}, String(spelled.code)),
          spelling.note ? ` — ${spelling.note}.` : '.')
        : null,
      h('ul', { class: 'codes' }, matches.map(codeItem))
    ));
    return;
  }
  els.codeResult.append(h('p', { class: 'muted' }, `No documented code, status or MOS score ${text}.`));
  if (suggestions.length === 0) return;
  els.codeResult.append(
    h('p', { class: 'did-you-mean' }, 'Did you mean:'),
    h('ul', { class: 'suggestions', 'data-testid': 'code-suggestions' }, suggestions.map((s) =>
      h('li', {},
        h('button', {
          type: 'button',
          class: 'suggestion',
          'data-query': s.query,
          onclick: () => {
            els.code.value = s.query;
            showLookup();
            els.code.focus();
          },
        }, s.query),
        s.name ? h('span', { class: 'muted' }, ` ${s.name}`) : null))),
  );
}

els.code.addEventListener('input', showLookup);

/** The kind the schema picker holds (its options are the kinds). */
function schemaKind() {
  return /** @type {Kind} */ (els.schemaKind.value);
}

function fillSchemaKinds() {
  els.schemaKind.append(...kindInfo.map((k) => h('option', { value: k.id }, `${k.id} — ${k.title}`)));
}

/** True once a kind was picked in the schema viewer: it then stops following the editor. */
let schemaPicked = false;

/** Draws the tree of the picked kind's schema, filtered by the search box. */
function showSchema() {
  els.schemaView.replaceChildren(schemaTree(schemaOf(schemaKind())));
  els.schemaView.dataset.kind = schemaKind();
  searchSchema();
}

function searchSchema() {
  const q = els.schemaSearch.value;
  const n = filterTree(els.schemaView, q);
  els.schemaFound.textContent = q.trim() === '' ? '' : n ? `${n} ${n === 1 ? 'match' : 'matches'}.` : `Nothing matches “${q.trim()}”.`;
}

els.schemaShow.addEventListener('click', () => {
  const open = els.schemaBox.hidden;
  if (open) showSchema();
  els.schemaBox.hidden = !open;
  els.schemaShow.textContent = open ? 'Hide' : 'Show';
  els.schemaShow.setAttribute('aria-expanded', String(open));
});
els.schemaKind.addEventListener('change', () => {
  schemaPicked = true;
  if (!els.schemaBox.hidden) showSchema();
});
els.schemaSearch.addEventListener('input', searchSchema);
els.schemaDownload.addEventListener('click', () => {
  const id = schemaKind();
  download(`${id}.schema.json`, JSON.stringify(schema(id), null, 2));
});

/**
 * @param {string} name
 * @param {string} text
 */
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// --- actions: repair, redact, share, copy report ----------------------------------------------------

els.repair.addEventListener('click', () => {
  // Changes and placeholders are positioned in the text as it was before. `json` is false when
  // the result is still not JSON (single quotes, a caption line before the brace, a bare
  // placeholder...): `remaining` says why, positioned in the repaired text, which is what the
  // editor then holds.
  const { text, changes, placeholders, remaining, json, complete } = repair(editor.text());
  editor.setText(text);
  keepRepairFor = check();
  /** @param {{line: number, column: number}} c */
  const where = (c) => h('span', { class: 'loc' }, `${c.line}:${c.column} `);
  const summary = changes.length
    ? `Repaired: ${plural(changes.length, 'change')}`
    : json ? 'Nothing needed changing.' : 'Repair changed nothing.';
  const problem = remaining[0];
  els.repairBox.hidden = false;
  els.repairBox.dataset.json = String(json);
  const at = problem?.line ?? null;
  els.repairChanges.replaceChildren(...present(
    h('li', { class: 'muted', 'data-testid': 'repair-summary' }, summary),
    json
      ? null
      : h('li', { class: 'still-not-json', 'data-testid': 'repair-not-json', 'data-rule': problem?.rule ?? '' },
        h('strong', {}, 'Still not JSON'),
        problem
          ? [at ? ' at ' : ': ',
            at
              ? h('button', { type: 'button', class: 'loc', onclick: () => editor.goTo(at, problem.column) },
                `${at}:${problem.column ?? 1}`)
              : null,
            at ? ': ' : null,
            sentence(problem.message),
            remaining.length > 1 ? ` ${plural(remaining.length - 1, 'more problem')} after it.` : '']
          : '.',
        ' Repair does not fix this: edit the text by hand.'),
    ...changes.map((c) => h('li', { 'data-rule': c.rule }, where(c), c.what, h('code', { class: 'rule' }, ` ${c.rule}`))),
    ...placeholders.map((p) =>
      h('li', { class: 'placeholder' }, where(p), 'Template placeholder ', h('code', {}, p.text),
        p.bare ? ' stands where a value belongs: replace it with a real value.' : ' left as written.')),
    complete === false
      ? h('li', { class: 'muted' }, 'Repair stopped at text it could not read; the rest is unchanged.')
      : null,
  ));
});

// Redaction keeps every number a number of the same length (digits, not `*`), so that the
// redacted document validates as the original did.
els.redact.addEventListener('click', () => {
  const text = editor.text();
  const out = redact(text);
  if (out !== text) {
    editor.setText(out);
    check();
    say('Phone numbers redacted in the editor: the digits between the country code and the last 3 are zeros (Ctrl+Z undoes it).');
  } else {
    say('No phone numbers found to redact.');
  }
});

/** @type {ReturnType<typeof setTimeout> | undefined} */
let sayTimer;
/** @param {string} text */
function say(text) {
  els.status.textContent = text;
  clearTimeout(sayTimer);
  sayTimer = setTimeout(() => (els.status.textContent = ''), 6000);
}

const b64url = {
  encode(bytes) {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode(text) {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  },
};

async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** The fragment holding the payload: `#z=<deflated, base64url>` (or `#t=` uncompressed) plus options. */
async function fragment() {
  const bytes = new TextEncoder().encode(editor.text());
  const params = new URLSearchParams();
  if (typeof CompressionStream === 'function') params.set('z', b64url.encode(await pipe(bytes, new CompressionStream('deflate-raw'))));
  else params.set('t', b64url.encode(bytes));
  if (els.kind.value !== 'auto') params.set('kind', els.kind.value);
  if (els.strict.checked) params.set('strict', '1');
  return `#${params}`;
}

async function loadFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  try {
    let bytes = null;
    if (params.has('z')) bytes = await pipe(b64url.decode(params.get('z')), new DecompressionStream('deflate-raw'));
    else if (params.has('t')) bytes = b64url.decode(params.get('t'));
    if (bytes === null) return false;
    const kind = params.get('kind');
    els.kind.value = kind && kindInfo.some((k) => k.id === kind) ? kind : 'auto';
    els.strict.checked = params.get('strict') === '1';
    editor.setText(new TextDecoder().decode(bytes));
    return true;
  } catch {
    say('The share link is damaged: its payload could not be read.');
    return false;
  }
}

async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    say(`${what} copied to the clipboard.`);
  } catch {
    say(`${what} could not be copied automatically; it is selected below.`);
    const area = /** @type {HTMLTextAreaElement} */ (h('textarea', { class: 'fallback', readonly: true, 'aria-label': what }, text));
    els.status.append(area);
    area.select();
  }
}

// The share link. Once the page holds one (Share was clicked, or the page was opened from a
// link), the address follows every edit (debounced), so a reload or a copied address gives the
// text on screen, not the text the link was made from. Clear removes it. A page never shared
// keeps its address clean: the payload holds phone numbers and the address goes into history.
let sharing = false;
let shareTimer = 0;
let shareGeneration = 0; // the newest fragment wins; slower older compressions are dropped

/** Writes the fragment of the current text into the address (no history entry). */
async function writeShare() {
  clearTimeout(shareTimer);
  const generation = ++shareGeneration;
  const hash = editor.text().trim() === '' ? '' : await fragment();
  if (generation !== shareGeneration || !sharing) return;
  history.replaceState(null, '', hash === '' ? location.pathname + location.search : hash);
  if (hash === '') delete els.share.dataset.link;
  else els.share.dataset.link = location.href;
}

/** After a check: bring the share link up to date, soon (typing runs many checks). */
function followShare() {
  if (!sharing) return;
  clearTimeout(shareTimer);
  shareTimer = setTimeout(writeShare, 300);
}

function stopSharing() {
  sharing = false;
  clearTimeout(shareTimer);
  shareGeneration += 1;
  history.replaceState(null, '', location.pathname + location.search);
  delete els.share.dataset.link;
}

els.share.addEventListener('click', async () => {
  if (editor.text().trim() === '') {
    say('Nothing to share yet: paste a payload first.');
    return;
  }
  sharing = true;
  await writeShare();
  await copy(location.href, 'Share link');
});

els.copyReport.addEventListener('click', async () => {
  if (!last) {
    say('Nothing to report yet: paste a payload first.');
    return;
  }
  // The worker holds the whole answer (the page only the legs and events it shows).
  const id = last.id;
  const text = await new Promise((resolve) => {
    /** @param {MessageEvent} e */
    const answer = (e) => {
      if (e.data.type !== 'full' || e.data.id !== id) return;
      worker.removeEventListener('message', answer);
      resolve(e.data.json);
    };
    worker.addEventListener('message', answer);
    worker.postMessage({ type: 'full', id });
  });
  if (typeof text !== 'string') return; // the text changed meanwhile: a newer report is coming
  els.copyReport.dataset.report = text;
  await copy(text, 'Report');
});

els.copyMarkdown.addEventListener('click', async () => {
  if (!last) {
    say('Nothing to report yet: paste a payload first.');
    return;
  }
  const { report, options: opts, text } = last;
  const p = predicted(report);
  const meaning = p && (explainCode(p.code)[0]?.meaning ?? null);
  const md = markdownReport({
    report,
    title: report.kind ? title(report.kind) : 'document',
    // Mask on: the numbers in the quoted payload are masked by the core, as the messages are
    payload: opts.mask ? mask(text) : text,
    masked: opts.mask,
    strict: opts.strict,
    predicted: p && `${p.label} \`${p.code}\`${meaning ? `: ${meaning}` : '.'}`,
  });
  els.copyMarkdown.dataset.markdown = md;
  await copy(md, 'Markdown report');
});

/** The endpoint the cURL command posts to, remembered in this browser. */
const CURL_URL_KEY = 'voicehook.curl-url';
els.curlUrl.value = stored(CURL_URL_KEY) ?? els.curlUrl.value;
els.curlUrl.addEventListener('change', () => store(CURL_URL_KEY, els.curlUrl.value));
els.copyCurl.addEventListener('click', async () => {
  const text = editor.text();
  if (text.trim() === '') {
    say('Nothing to replay yet: paste a payload first.');
    return;
  }
  let url;
  try {
    url = new URL(els.curlUrl.value.trim());
  } catch {
    say('Your endpoint is not an address: write it as http://host:port/path.');
    els.curlUrl.focus();
    return;
  }
  const command = curlCommand(url.href, text);
  els.copyCurl.dataset.command = command;
  await copy(command, 'cURL command');
});

// --- history ---------------------------------------------------------------------------------------
// The payloads checked, newest first, in this browser's storage (never sent). A text is saved
// once it has stayed on screen a moment, so typing saves the text typed, not every keystroke.

/** @type {ReturnType<typeof setTimeout> | undefined} */
let saveTimer;
function saveSoon() {
  clearTimeout(saveTimer);
  const shown = last;
  saveTimer = setTimeout(() => {
    if (!shown || shown !== last) return;
    const list = remember({
      text: shown.text,
      at: Date.now(),
      kind: shown.report.kind ?? null,
      valid: shown.report.valid ?? null,
      errors: shown.report.errors.length,
    });
    if (list === null) say('The history could not be saved: this browser refused the storage.');
    renderHistory();
  }, 1000);
}

/** @param {import('./workbench.js').Entry} e */
function entryLabel(e) {
  const when = new Date(e.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const verdict = e.valid === true ? 'valid' : e.valid === false ? plural(e.errors, 'error') : 'unchecked';
  return `${when} · ${e.kind ?? 'unknown kind'} · ${verdict}`;
}

function renderHistory() {
  const list = loadHistory();
  els.history.replaceChildren(...list.map((e, i) =>
    h('li', { 'data-kind': e.kind ?? '' },
      h('button', {
        type: 'button',
        class: 'history-load',
        title: 'Load this payload into the editor',
        onclick: () => {
          editor.setText(e.text);
          check();
        },
      }, h('span', {}, entryLabel(e)), h('code', { class: 'history-text' }, e.text.replace(/\s+/g, ' ').slice(0, 80))),
      h('span', { class: 'sr-only' }, ` (${i + 1} of ${list.length})`))));
  if (list.length === 0) els.history.append(h('li', { class: 'none muted' }, 'Nothing checked yet.'));
  const options = () => list.map((e, i) => h('option', { value: String(i) }, `${i + 1}. ${entryLabel(e)}`));
  // the newest against the one before it, until the user picks others
  els.diffA.replaceChildren(...options());
  els.diffB.replaceChildren(...options());
  els.diffA.value = list.length > 1 ? '1' : '0';
  els.diffB.value = '0';
  els.diffShow.toggleAttribute('disabled', list.length < 2);
  els.historyClear.toggleAttribute('disabled', list.length === 0);
}

els.diffShow.addEventListener('click', () => {
  const list = loadHistory();
  const a = list[Number(els.diffA.value)];
  const b = list[Number(els.diffB.value)];
  if (!a || !b) return;
  const parts = lineDiff(a.text, b.text);
  const changed = parts.some((p) => p.kind !== ' ');
  els.diff.replaceChildren(...(changed ? renderDiff(parts) : ['The two payloads hold the same JSON.']));
  els.diff.hidden = false;
});

els.historyClear.addEventListener('click', () => {
  forgetHistory();
  clearTimeout(saveTimer);
  els.diff.hidden = true;
  renderHistory();
  say('History cleared.');
});

// --- first minute: one example of each kind, beside the empty editor ------------------------------

function fillTry() {
  /** @type {Array<[string, string]>} */
  const picks = [['vss', 'Session summary'], ['vca', 'Call action'], ['vcs', 'Call status'], ['vru', 'Recording'], ['vnu', 'Virtual number'], ['callflow', 'Send Callflow'], ['vca-reply', 'Reply to a call action']];
  for (const [kind, name] of picks) {
    const i = examples.findIndex((ex) => ex.kind === kind && ex.json);
    if (i < 0) continue;
    els.try.append(h('button', { type: 'button', class: 'try-one', 'data-kind': kind, onclick: () => {
      els.examples.value = String(i);
      loadExample(i);
      editor.view.focus();
    } }, name));
  }
}

// The timeline is drawn for the width it has: redraw when that changes.
let lastWidth = 0;
new ResizeObserver(() => {
  const w = els.decoded.clientWidth;
  if (Math.abs(w - lastWidth) < 8) return;
  lastWidth = w;
  if (last?.decoded) renderDecoded(els.decoded, last.decoded, last.counts);
}).observe(els.decoded);

window.addEventListener('hashchange', async () => {
  if (await loadFragment()) {
    sharing = true;
    check();
  }
});

// --- start ----------------------------------------------------------------------------------------

async function start() {
  try {
    // Compiled once, instantiated here (kinds, schemas, code lookup, repair, redact) and in the
    // worker (the checks), so the .wasm is fetched once.
    const module = await WebAssembly.compileStreaming(fetch(new URL('voicehook.wasm', document.baseURI)));
    await init(module);
    await new Promise((resolve, reject) => {
      worker.addEventListener('message', (e) => e.data.type === 'ready' && resolve(undefined));
      worker.addEventListener('error', (e) => reject(new Error(`the checker did not start (${e.message})`)));
      worker.postMessage({ type: 'init', module });
    });
  } catch (err) {
    els.verdict.replaceChildren(h('span', { class: 'verdict-text' }, `voicehook could not start: ${err.message}`));
    throw err;
  }
  kindInfo = kinds();
  repairable = new Set(rules().filter((r) => r.repairable).map((r) => r.id));
  els.kind.append(...kindInfo.map((k) => h('option', { value: k.id }, `${k.id} — ${k.title}`)));
  fillSchemaKinds();
  fillExamples();
  fillTry();
  renderHistory();
  setupSimulate({ callflowText: () => editor.text(), examples, say });
  if (await loadFragment()) {
    sharing = true;
    check();
  }
  document.documentElement.dataset.ready = 'true';
}

start();
