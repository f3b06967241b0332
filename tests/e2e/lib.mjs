// Shared helpers of the page tests: the browser, the served page, and the Rust expectations.
//
// cargo xtask test (xtask/src/web.rs) builds www/dist/, serves it on a free port and runs these
// tests with:
//   VOICEHOOK_URL          the served page
//   VOICEHOOK_EXPECTED     target/web/expected.json: {docs: [...], edge: [...]}, each case
//                          {file, kind, json, text, report} with the report the Rust core gives
//   VOICEHOOK_ARTIFACTS    tests/artifacts/ (screenshots)
//   VOICEHOOK_CHROMIUM(_ARGS)  the system Chromium and its flags (xtask/src/browser.rs)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const URL_ = process.env.VOICEHOOK_URL ?? 'http://127.0.0.1:8080/';
export const ARTIFACTS = process.env.VOICEHOOK_ARTIFACTS ?? join(process.cwd(), '../artifacts');
export const ROOT = process.env.VOICEHOOK_ROOT ?? join(process.cwd(), '../..');

export function expected() {
  const path = process.env.VOICEHOOK_EXPECTED ?? join(ROOT, 'target/web/expected.json');
  return JSON.parse(readFileSync(path, 'utf8'));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.VOICEHOOK_CHROMIUM ?? '/usr/bin/chromium',
    args: (process.env.VOICEHOOK_CHROMIUM_ARGS ??
      '--no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run').split(' '),
  });
}

/**
 * A fresh page on the served site, ready (wasm loaded). Records every request and every CSP
 * violation and page error in `page.log`.
 */
export async function open(browser, contextOptions = {}, hash = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const log = { requests: [], errors: [], csp: [] };
  page.log = log;
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('CSP violation:')) log.csp.push(text);
    else if (m.type() === 'error' && !/Content Security Policy/.test(text)) log.errors.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample ?? ''}`);
    });
  });
  await page.goto(URL_ + hash);
  await page.waitForSelector('html[data-ready=true]', { timeout: 20000 });
  return page;
}

/**
 * The CSP violations the page caused. Left out: `style-src-attr`, which Chromium's own editing
 * code can still trigger when Playwright's `fill` types over a selection in the contenteditable
 * editor (it wraps the new text in a `<span style="color: ...">`; CodeMirror redraws the line
 * anyway). The editor turns a plain typed replacement into a transaction (editor.js,
 * `beforeinput`), but `fill` does not always arrive as one. The page itself never writes a style
 * attribute.
 */
export function cspViolations(page) {
  return page.log.csp.filter((v) => !v.startsWith('CSP violation: style-src-attr '));
}

/** How many checks the page has run (the verdict's data-run counter). */
export async function runs(page) {
  return Number((await page.getAttribute('[data-testid=verdict]', 'data-run')) ?? 0);
}

/** Selects `kind` (or auto) and pastes `text`, then waits for the result of that text. */
export async function paste(page, text, kind = 'auto') {
  await page.selectOption('[data-testid=kind-select]', kind ?? 'auto');
  // A change of kind starts a check of the text held before (checks run in a worker): let it
  // finish, so that the check waited for below is the one of `text`.
  await page.waitForSelector('[data-testid=verdict]:not([data-busy])', { state: 'attached' });
  const before = await runs(page);
  await page.fill('[data-testid=input]', text);
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid=verdict]').dataset.run ?? 0) > n,
    before,
    { timeout: 10000 },
  );
  // How many UTF-16 units the editor holds (the editor root's data-length).
  return Number(await page.getAttribute('.cm-editor', 'data-length'));
}

/** What the page shows: verdict, kind, diagnostics. */
export async function shown(page) {
  return page.evaluate(() => {
    const v = document.querySelector('[data-testid=verdict]');
    // (The editor lives in a shadow root; everything read here is in the light DOM.)
    const items = (sel) => [...document.querySelectorAll(`[data-testid=${sel}] li[data-pointer]`)].map((li) => ({
      pointer: li.dataset.pointer,
      line: li.dataset.line === '' ? null : Number(li.dataset.line),
      rule: li.dataset.rule,
    }));
    return {
      valid: v.dataset.valid ?? null,
      kind: document.querySelector('[data-testid=detected-kind]').dataset.kind || null,
      errors: items('errors'),
      warnings: items('warnings'),
    };
  });
}
