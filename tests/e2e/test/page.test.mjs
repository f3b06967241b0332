// The page, end to end in headless Chromium: what it shows matches what the Rust core says,
// errors lead to their place in the editor, the decoded view and timeline render, help works,
// nothing leaves the page, it works from the keyboard alone, and it looks right (screenshots).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { ARTIFACTS, ROOT, cspViolations, expected, launch, open, paste, runs, shown } from '../lib.mjs';

const cases = expected();
let browser;

before(async () => {
  browser = await launch();
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
});

/** A typical VSS: the first documented VSS example that the core says is valid, else any VSS. */
function typicalVss() {
  const all = [...cases.docs, ...cases.edge].filter((c) => c.kind === 'vss');
  return all.find((c) => c.report.valid) ?? all[0];
}

describe('verdicts match the Rust core', () => {
  test('an empty editor shows no verdict', async () => {
    const page = await open(browser);
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), null);
    await paste(page, '{}');
    assert.notEqual(await page.getAttribute('[data-testid=verdict]', 'data-valid'), null);
    await paste(page, '');
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), null);
    await page.context().close();
  });

  for (const set of ['docs', 'edge']) {
    test(`every ${set} fixture (${cases[set].length})`, async () => {
      assert.ok(set !== 'docs' || cases.docs.length > 0, 'no documented examples: tests/fixtures/docs/manifest.json is missing');
      const page = await open(browser);
      const wrong = [];
      for (const c of cases[set]) {
        const held = await paste(page, c.text, c.kind ?? 'auto');
        assert.equal(held, c.text.length, `${c.file}: the editor holds what was pasted`);
        const got = await shown(page);
        const want = {
          valid: String(c.report.valid),
          kind: c.report.kind ?? null,
          errors: c.report.errors.map((d) => ({ pointer: d.pointer, line: d.line ?? null, rule: d.rule })),
          warnings: c.report.warnings.map((d) => ({ pointer: d.pointer, line: d.line ?? null, rule: d.rule })),
        };
        try {
          assert.deepEqual(got, want);
        } catch {
          wrong.push(`${c.file}: page ${JSON.stringify(got)}\n  rust ${JSON.stringify(want)}`);
        }
      }
      assert.deepEqual(wrong, [], `the page disagrees with the Rust core:\n${wrong.join('\n')}`);
      assert.deepEqual(page.log.errors, []);
      assert.deepEqual(cspViolations(page), []);
      await page.context().close();
    });
  }

  test('the strict toggle reaches the package', async () => {
    const page = await open(browser);
    const quirk = cases.edge.find((c) => c.file.includes('capital-leg-key')) ?? typicalVss();
    await paste(page, quirk.text, quirk.kind);
    const lenient = await shown(page);
    const n = await runs(page);
    await page.check('[data-testid=strict-toggle]');
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n);
    const strict = await shown(page);
    // Strict never reports fewer errors than lenient.
    assert.ok(strict.errors.length >= lenient.errors.length);
    await page.context().close();
  });
});

describe('input', () => {
  test('dropping a .json file or opening one loads it', async () => {
    const page = await open(browser);
    const c = typicalVss();
    let n = await runs(page);
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'summary.json', { type: 'application/json' }));
      return dt;
    }, c.text);
    await page.dispatchEvent('#editor-wrap', 'drop', { dataTransfer });
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n);
    assert.equal(Number(await page.getAttribute('.cm-editor', 'data-length')), c.text.length);
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), String(c.report.valid));

    await paste(page, '');
    n = await runs(page);
    await page.setInputFiles('#file', { name: 'summary.json', mimeType: 'application/json', buffer: Buffer.from(c.text) });
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n);
    assert.equal(Number(await page.getAttribute('.cm-editor', 'data-length')), c.text.length);
    await page.context().close();
  });
});

describe('errors in place', () => {
  test('an invalid document lists its errors with pointers, and a click moves the cursor there', async () => {
    const all = [...cases.edge, ...cases.docs];
    const c = all.find((x) => x.report.errors.some((d) => d.line && d.pointer)) ??
      all.find((x) => x.report.errors.some((d) => d.line));
    assert.ok(c, 'no fixture has a positioned error (is the validation engine wired in?)');
    const err = c.report.errors.find((d) => d.line && d.pointer) ?? c.report.errors.find((d) => d.line);
    const page = await open(browser);
    await paste(page, c.text, c.kind ?? 'auto');
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), 'false');
    const item = page.locator(`[data-testid=errors] li[data-pointer="${err.pointer.replace(/"/g, '\\"')}"]`).first();
    assert.equal(await item.getAttribute('data-line'), String(err.line));
    const text = await item.textContent();
    assert.ok(text.includes(err.rule), 'the item names its rule');
    assert.ok(text.includes(`${err.line}:${err.column ?? 1}`), 'the item shows line:column');
    await item.click();
    assert.equal(await page.getAttribute('.cm-editor', 'data-cursor-line'), String(err.line));
    assert.ok(await page.locator('.cm-vh-focus').count() > 0 || err.line > 0, 'the span is highlighted');
    // The same error is marked in the editor text.
    assert.ok(await page.locator('.cm-lintRange-error').count() > 0, 'the error is marked in the editor');
    await page.context().close();
  });
});

describe('decoded view', () => {
  test('a VSS shows its legs, codes, idempotency key, and a timeline with one row per leg', async () => {
    const page = await open(browser);
    const c = typicalVss();
    await paste(page, c.text, 'vss');
    const doc = JSON.parse(c.text);
    const legs = Object.keys((doc.payload ?? doc).details ?? {}).length;
    await page.waitForSelector('[data-testid=timeline]');
    assert.equal(await page.locator('[data-testid=timeline] .tl-row').count(), legs);
    assert.equal(await page.locator('[data-testid=decoded] [data-testid=legs] > li').count(), legs);
    const decodedText = await page.textContent('[data-testid=decoded]');
    assert.ok(decodedText.includes('→'), 'each leg shows from → to');
    assert.ok(await page.locator('[data-testid=detected-kind][data-product]').count() === 1, 'the product guess is shown');
    // An absent item is left out, not written as the text "null".
    assert.doesNotMatch(await page.textContent('[data-testid=verdict]'), /null|undefined/);
    assert.doesNotMatch(decodedText, /null|undefined/);
    await page.context().close();
  });
});

describe('help', () => {
  test('the example picker holds every documented example and loads one', async () => {
    const page = await open(browser);
    const options = await page.locator('[data-testid=examples] option[data-file]').count();
    assert.equal(options, cases.docs.length);
    const i = cases.docs.findIndex((c) => c.kind === 'vss') ;
    const n = await runs(page);
    await page.selectOption('[data-testid=examples]', String(Math.max(0, i)));
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n);
    assert.notEqual(await page.getAttribute('[data-testid=verdict]', 'data-valid'), null);
    assert.doesNotMatch(await page.textContent('#example-note'), /null|undefined/);
    assert.doesNotMatch(await page.textContent('[data-testid=verdict]'), /null|undefined/);
    await page.context().close();
  });

  test('code lookup explains -2004', async () => {
    const page = await open(browser);
    await page.fill('[data-testid=code-lookup]', '-2004');
    const result = page.locator('[data-testid=code-result]');
    await result.locator('li').first().waitFor();
    const text = await result.textContent();
    assert.ok(text.includes('-2004'), text);
    assert.ok(text.length > 30, `an explanation, got ${JSON.stringify(text)}`);
    assert.doesNotMatch(text, /null|undefined/);
    await page.context().close();
  });

  test("code lookup finds its own placeholder's examples, statuses with their spelling, and MOS bands", async () => {
    const page = await open(browser);
    const lookup = page.locator('[data-testid=code-lookup]');
    const result = page.locator('[data-testid=code-result]');
    // Every example the placeholder offers finds something.
    const examples = (await lookup.getAttribute('placeholder')).replace(/…$/, '').split(/,\s*/);
    assert.ok(examples.includes('NO_ANSWER'), `the placeholder offers a status: ${examples}`);
    assert.ok(examples.some((e) => /^\d\.\d$/.test(e)), `the placeholder offers a MOS score: ${examples}`);
    for (const example of examples) {
      await lookup.fill(example);
      await result.locator('li.code').first().waitFor({ timeout: 5000 }).catch(() => {});
      assert.ok(await result.locator('li.code').count() > 0, `${example} finds something: ${await result.textContent()}`);
    }
    const help = await page.textContent('#code-help');
    assert.match(help, /status/i);
    assert.match(help, /MOS/);

    await lookup.fill('NO_ANSWER');
    const status = result.locator('li.code[data-table=status]');
    await status.first().waitFor();
    assert.equal(await status.first().getAttribute('data-code'), 'NO_ANSWER');
    assert.ok((await status.first().locator('p').first().textContent()).length > 10, 'its meaning is shown');
    assert.equal(await page.locator('[data-testid=code-spelling]').count(), 0, 'NO_ANSWER is 8x8\'s own spelling');

    await lookup.fill('NO ANSWER');
    await page.locator('[data-testid=code-spelling]').waitFor();
    assert.match(await page.textContent('[data-testid=code-spelling]'), /^NO ANSWER is read as NO_ANSWER\b/);

    await lookup.fill('4.2');
    const band = result.locator('li.code[data-table=mos]');
    await band.first().waitFor();
    assert.match(await band.first().textContent(), /Good/);
    assert.deepEqual(page.log.errors, []);
    await page.context().close();
  });

  test('code lookup suggests NO_ANSWER for NO_ANSWR, and clicking it shows the result', async () => {
    const page = await open(browser);
    await page.fill('[data-testid=code-lookup]', 'NO_ANSWR');
    const suggestion = page.locator('[data-testid=code-suggestions] button[data-query=NO_ANSWER]');
    await suggestion.waitFor();
    assert.equal(await page.locator('[data-testid=code-result] li.code').count(), 0, 'nothing matches NO_ANSWR');
    await suggestion.click();
    assert.equal(await page.inputValue('[data-testid=code-lookup]'), 'NO_ANSWER');
    await page.locator('[data-testid=code-result] li.code[data-code=NO_ANSWER]').first().waitFor();
    assert.equal(await page.locator('[data-testid=code-suggestions]').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'code-lookup', 'focus returns to the lookup');
    await page.context().close();
  });

  test("repair of {'a': 1} says it is still not JSON, where and why", async () => {
    const page = await open(browser);
    await paste(page, "{'a': 1}");
    await page.waitForSelector('#repair-box:not([hidden])');
    await page.click('[data-testid=repair]');
    const note = page.locator('[data-testid=repair-not-json]');
    await note.waitFor();
    const text = await note.textContent();
    assert.match(text, /^Still not JSON at 1:2: /, text);
    assert.match(text, /quote/, text);
    const all = await page.textContent('[data-testid=repair-changes]');
    assert.ok(!/Nothing needed changing/.test(all), `no claim of success: ${all}`);
    await page.context().close();
  });

  test('repair of a documented example with a template placeholder shows no null', async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/docs/manifest.json'), 'utf8'));
    const example = manifest.find((e) => /placeholder/.test(e.note ?? '') && e.json === false);
    assert.ok(example, 'a documented example that is not JSON because of a placeholder');
    const page = await open(browser);
    const n = await runs(page);
    await page.selectOption('[data-testid=examples]', { index: await page.locator(`[data-testid=examples] option[data-file="${example.file}"]`).evaluate((o) => o.index) });
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n);
    await page.waitForSelector('#repair-box:not([hidden])');
    await page.click('[data-testid=repair]');
    await page.locator('[data-testid=repair-summary]').waitFor();
    const text = await page.textContent('[data-testid=repair-changes]');
    assert.ok(!/null|undefined/.test(text), `${example.file}: ${text}`);
    assert.match(text, /\{\{[^}]+\}\}/, 'the placeholder is named');
    assert.match(text, /Still not JSON at \d+:\d+: /, 'a bare placeholder keeps it from being JSON');
    assert.deepEqual(page.log.errors, []);
    await page.context().close();
  });

  test('repair turns a commented example into plain JSON and shows what changed', async () => {
    const page = await open(browser);
    const base = typicalVss().text;
    const commented = base.replace('{', '{\n  // a comment, as some pages print it').replace(/\n\}\s*$/, ',\n}\n');
    await paste(page, commented, 'vss');
    await page.waitForSelector('#repair-box:not([hidden])');
    const n = await runs(page);
    await page.click('[data-testid=repair]');
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n);
    assert.ok(await page.locator('[data-testid=repair-changes] li').count() >= 2, 'the changes are listed');
    const got = await shown(page);
    assert.ok(!got.errors.some((e) => e.rule.startsWith('json.')), JSON.stringify(got.errors));
    await page.context().close();
  });

  test('schemas show and download for each kind', async () => {
    const page = await open(browser);
    await page.click('#schema-show');
    // the tree: the document's properties, each with its type
    const names = await page.$$eval('[data-testid=schema-view] > details > .schema-children > [data-name]', (n) => n.map((e) => e.dataset.name));
    assert.deepEqual(names, Object.keys(JSON.parse(readFileSync(join(ROOT, 'crates/voicehook/schemas/vss.schema.json'), 'utf8')).properties));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=schema-download]')]);
    assert.match(download.suggestedFilename(), /^vss\.schema\.json$/);
    await page.context().close();
  });

  test('a share link carries the payload in the fragment and reopens it', async () => {
    const page = await open(browser);
    const c = typicalVss();
    await paste(page, c.text, 'vss');
    await page.click('[data-testid=share]');
    await page.waitForFunction(() => document.querySelector('[data-testid=share]').dataset.link);
    const link = await page.getAttribute('[data-testid=share]', 'data-link');
    assert.match(link, /#z=|#t=/);
    const second = await open(browser, {}, link.slice(link.indexOf('#')));
    await second.waitForFunction(() => document.querySelector('[data-testid=verdict]').dataset.valid);
    assert.equal(Number(await second.getAttribute('.cm-editor', 'data-length')), c.text.length);
    assert.equal(await second.inputValue('[data-testid=kind-select]'), 'vss');
    // The fragment never reaches the server.
    assert.ok(second.log.requests.every((u) => !u.includes('#')));
    await page.context().close();
    await second.context().close();
  });
});

/** The payload a share link (or the page's address) carries, as text; null when it carries none. */
function payloadOf(url) {
  const params = new URLSearchParams(new URL(url).hash.slice(1));
  const bytes = (b64) => Buffer.from(b64, 'base64url');
  if (params.has('z')) return inflateRawSync(bytes(params.get('z'))).toString('utf8');
  if (params.has('t')) return bytes(params.get('t')).toString('utf8');
  return null;
}

/** Waits until the page's address carries `text` (the share link follows edits, debounced). */
async function addressCarries(page, text) {
  const deadline = Date.now() + 5000;
  const address = () => page.evaluate(() => location.href);
  let carried;
  while ((carried = payloadOf(await address())) !== text) {
    assert.ok(Date.now() < deadline, `the address still carries ${JSON.stringify(carried)?.slice(0, 80)}`);
    await page.waitForTimeout(50);
  }
}

/** Waits for the next check after `action`. */
async function nextCheck(page, action) {
  const n = await runs(page);
  await action();
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n);
}

describe('share link follows the text', () => {
  test('after Share, edits update the address and the link; a reload shows the edited text', async () => {
    const page = await open(browser);
    const c = typicalVss();
    await paste(page, c.text, 'vss');
    await page.click('[data-testid=share]');
    await addressCarries(page, c.text);
    const edited = c.text.replace(/"callCount":\s*\d+/, '"callCount": 7');
    assert.notEqual(edited, c.text, 'the fixture has a callCount to edit');
    await paste(page, edited, 'vss');
    await addressCarries(page, edited);
    assert.equal(payloadOf(await page.getAttribute('[data-testid=share]', 'data-link')), edited, 'the share link is the new one');
    assert.match(await page.evaluate(() => location.hash), /kind=vss/);
    // Changing the kind reaches the link too.
    await nextCheck(page, () => page.selectOption('[data-testid=kind-select]', 'auto'));
    await page.waitForFunction(() => !location.hash.includes('kind='));
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    await page.waitForFunction(() => document.querySelector('[data-testid=verdict]').dataset.valid);
    assert.equal(Number(await page.getAttribute('.cm-editor', 'data-length')), edited.length);
    await page.context().close();
  });

  test('a page opened from a link follows typing', async () => {
    const first = await open(browser);
    const c = typicalVss();
    await paste(first, c.text, 'vss');
    await first.click('[data-testid=share]');
    await addressCarries(first, c.text);
    const page = await open(browser, {}, await first.evaluate(() => location.hash));
    await first.context().close();
    await page.waitForFunction(() => document.querySelector('[data-testid=verdict]').dataset.valid);
    // Type at the very end of the text, as a person would.
    await page.click('[data-testid=input]');
    await page.keyboard.press('Control+End');
    await nextCheck(page, () => page.keyboard.type('  '));
    await addressCarries(page, `${c.text}  `);
    await page.context().close();
  });

  test('Clear removes the payload from the address and stops following', async () => {
    const page = await open(browser);
    const c = typicalVss();
    await paste(page, c.text, 'vss');
    await page.click('[data-testid=share]');
    await addressCarries(page, c.text);
    await nextCheck(page, () => page.click('#clear'));
    assert.equal(await page.evaluate(() => location.hash), '');
    assert.equal(await page.getAttribute('[data-testid=share]', 'data-link'), null);
    await paste(page, '{"callflow": []}');
    await page.waitForTimeout(800); // longer than the debounce
    assert.equal(await page.evaluate(() => location.hash), '', 'after Clear, new text stays out of the address until Share');
    await page.context().close();
  });
});

describe('redact', () => {
  test('a redacted VSS has the same verdict and findings, and none of the numbers\' middle digits', async () => {
    const page = await open(browser);
    const number = /(?<![A-Za-z0-9+])\+?\d{7,15}(?![A-Za-z0-9])/g;
    const all = [...cases.docs, ...cases.edge].filter((x) => x.kind === 'vss' && (x.text.match(number) ?? []).length > 1);
    const c = all.find((x) => x.file.startsWith('ivr--session-summary')) ?? all[0];
    assert.ok(c, 'a documented VSS with phone numbers');
    await paste(page, c.text, 'vss');
    const before = await shown(page);
    await nextCheck(page, () => page.click('[data-testid=redact]'));
    const after = await shown(page);
    assert.deepEqual(after, before, 'redacting changes no finding');
    assert.equal(after.valid, String(c.report.valid));

    await page.click('[data-testid=share]');
    await page.waitForFunction(() => document.querySelector('[data-testid=share]').dataset.link);
    const redacted = payloadOf(await page.getAttribute('[data-testid=share]', 'data-link'));
    assert.equal(redacted.length, c.text.length, 'every number keeps its length');
    const spans = [...c.text.matchAll(number)].map((m) => [m.index, m.index + m[0].length]);
    for (const [from, to] of spans) {
      const was = c.text.slice(from, to);
      const now = redacted.slice(from, to);
      const head = (was.startsWith('+') ? 1 : 0) + 3; // a calling code has at most 3 digits
      assert.match(now, /^\+?[1-9]\d+$/, `${was} is still a number`);
      assert.equal(now.slice(-3), was.slice(-3), `${was} keeps its last 3 digits`);
      assert.match(now.slice(head, -3), /^0*$/, `${was} -> ${now}: no middle digit of the original remains`);
      if (/[1-9]/.test(was.slice(head, -3))) assert.ok(!redacted.includes(was), `${was} is gone from the text`);
    }
    // Outside the numbers nothing changed.
    const outside = (text) => spans.reduceRight((acc, [from, to]) => acc.slice(0, from) + acc.slice(to), text);
    assert.equal(outside(redacted), outside(c.text));
    await page.context().close();
  });
});

describe('a document that reads as two kinds', () => {
  test('a callflow without validUntil offers "Check as callflow", which checks it as a callflow in one click', async () => {
    const page = await open(browser);
    const body = '{"callflow":[{"action":"say","params":{"text":"hi","language":"en-US","voiceProfile":"en-US-Standard-A"}}]}';
    await paste(page, body);
    const button = page.locator('[data-testid=also-reads-as]');
    await button.waitFor({ timeout: 5000 });
    assert.equal((await button.textContent()).trim(), 'Check as callflow');
    await nextCheck(page, () => button.click());
    assert.equal(await page.inputValue('[data-testid=kind-select]'), 'callflow');
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), 'false');
    assert.equal(await page.getAttribute('[data-testid=detected-kind]', 'data-kind'), 'callflow');
    // The prediction itself, not the warning's words (which name -1013 under either reading).
    assert.equal(await page.getAttribute('[data-testid=predicted]', 'data-code'), '-1013', '8x8 would answer -1013: the first action is not makeCall');
    assert.equal(await page.isVisible('[data-testid=predicted]'), true);
    assert.deepEqual(page.log.errors, []);
    await page.context().close();
  });
});

describe('private and offline', () => {
  test('after its own files load, the page makes no request at all', async () => {
    const page = await open(browser);
    const origin = new URL(page.url()).origin;
    assert.ok(page.log.requests.every((u) => u.startsWith(origin)), `only its own origin: ${page.log.requests}`);
    page.log.requests.length = 0;
    const c = typicalVss();
    await paste(page, c.text, 'auto');
    await paste(page, '{"broken": ', 'auto');
    await page.selectOption('[data-testid=examples]', '0');
    await page.fill('[data-testid=code-lookup]', '-2004');
    await page.fill('[data-testid=code-lookup]', '486');
    await page.click('#schema-show');
    await page.click('[data-testid=share]');
    await page.click('[data-testid=copy-report]');
    await page.check('[data-testid=strict-toggle]');
    await page.waitForTimeout(800);
    assert.deepEqual(page.log.requests, []);
    assert.deepEqual(cspViolations(page), []);
    assert.deepEqual(page.log.errors, []);
    const csp = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /https?:|unsafe-inline|\*/);
    await page.context().close();
  });

  test('the page weighs at most 900 KB gzipped', () => {
    const path = join(ROOT, 'target/web/weight.json');
    assert.ok(existsSync(path), 'www/build.mjs writes target/web/weight.json');
    const weight = JSON.parse(readFileSync(path, 'utf8'));
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    const files = weight.files.map((f) => `${f.name} ${kb(f.gzipBytes)}`).join(', ');
    console.log(`page weight: ${kb(weight.bytes)}, ${kb(weight.gzipBytes)} gzip (${files})`);
    assert.ok(weight.gzipBytes <= 900 * 1024, `the page weighs ${kb(weight.gzipBytes)} gzip, over the 900 KB budget (${files})`);
  });
});

describe('usable', () => {
  test('keyboard only: reach the editor, paste, reach an error, Enter moves the cursor there', async () => {
    const page = await open(browser);
    const c = [...cases.edge, ...cases.docs].find((x) => x.report.errors.some((d) => d.line)) ?? typicalVss();
    /** Presses Tab until `predicate` holds for the focused element (at most `max` times). */
    async function tabTo(predicate, max = 40) {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(predicate)) return true;
      }
      return false;
    }
    const inEditor = () => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.dataset?.testid === 'input';
    };
    assert.ok(await tabTo(() => document.activeElement?.dataset?.testid === 'kind-select'), 'Tab reaches the kind selector');
    assert.ok(await tabTo(inEditor), 'Tab reaches the editor');
    const n = await runs(page);
    await page.keyboard.insertText(c.text); // what a paste does
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n);
    assert.notEqual(await page.getAttribute('[data-testid=verdict]', 'data-valid'), null);
    const err = c.report.errors.find((d) => d.line);
    if (err) {
      assert.ok(await tabTo(() => !!document.activeElement?.closest?.('[data-testid=errors] li')), 'Tab reaches the errors');
      const line = await page.evaluate(() => document.activeElement.closest('li').dataset.line);
      await page.keyboard.press('Enter');
      assert.equal(await page.getAttribute('.cm-editor', 'data-cursor-line'), line);
      assert.ok(await page.evaluate(inEditor), 'Enter puts the focus in the editor');
    }
    assert.ok(await tabTo(() => document.activeElement?.dataset?.testid === 'code-lookup', 60), 'Tab reaches the code lookup');
    await page.keyboard.type('-2004');
    await page.context().close();
  });

  test('typical VSS: validate + render time', async () => {
    const page = await open(browser);
    const c = typicalVss();
    const times = [];
    for (let i = 0; i < 15; i++) {
      // Alternate two texts so every fill is a real change.
      await paste(page, i % 2 ? c.text : `${c.text}\n`, 'auto');
      times.push(Number(await page.getAttribute('[data-testid=verdict]', 'data-ms')));
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(`validate+render of a typical VSS (${c.file}, ${c.text.length} bytes) in the page: median ${median.toFixed(2)} ms, min ${times[0].toFixed(2)} ms, max ${times.at(-1).toFixed(2)} ms`);
    assert.ok(median < 200, `median ${median} ms`);
    await page.context().close();
  });

  for (const [name, options] of [
    ['light-1280', { viewport: { width: 1280, height: 900 }, colorScheme: 'light' }],
    ['dark-1280', { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' }],
    ['phone-390', { viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
    ['phone-390-dark', { viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
  ]) {
    test(`screenshot ${name}`, async () => {
      const page = await open(browser, options);
      const c = typicalVss();
      await paste(page, c.text, 'auto');
      // Nothing sticks out sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await page.screenshot({ path: join(ARTIFACTS, `page-${name}.png`), fullPage: true });
      const invalid = [...cases.edge, ...cases.docs].find((x) => !x.report.valid && x.report.errors.some((d) => d.line));
      if (invalid) {
        await paste(page, invalid.text, invalid.kind ?? 'auto');
        await page.locator('[data-testid=errors] li button').first().click();
        await page.screenshot({ path: join(ARTIFACTS, `page-${name}-errors.png`), fullPage: false });
      }
      await page.context().close();
    });
  }
});

/** A VSS of about `bytes` bytes: the typical one with its first leg repeated (call0, call1...). */
function bigVss(bytes) {
  const doc = JSON.parse(typicalVss().text);
  const body = doc.payload ?? doc;
  const leg = Object.values(body.details)[0];
  const details = {};
  let text = '';
  for (let n = 0; text.length < bytes; ) {
    for (let i = 0; i < 100; i++, n++) {
      details[`call${n}`] = { ...leg, callId: `a08f331e-f059-11f0-816b-${String(n).padStart(12, '0')}` };
    }
    body.details = details;
    body.callCount = n;
    text = JSON.stringify(doc, null, 2);
  }
  return text;
}

describe('responsive on a large document', () => {
  test('typing into a 1 MB VSS: no main-thread task over 50 ms until the verdict is updated', async () => {
    const page = await open(browser);
    const text = bigVss(1_000_000);
    assert.match(text, /^ {4}"sessionStatus": "COMPLETED",$/m, 'the VSS has a sessionStatus line to type into');
    // Loaded as a file (a 1 MB paste through the clipboard is the same single edit).
    await nextCheck(page, () => page.setInputFiles('#file', { name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(text) }));
    assert.equal(Number(await page.getAttribute('.cm-editor', 'data-length')), text.length);
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), 'true', 'the big VSS is valid');
    assert.ok(await page.locator('[data-testid=decoded] [data-testid=legs] > li').count() > 0, 'its legs are shown');

    // Put the cursor inside "COMPLETED" (before its closing quote) and let the page settle.
    await page.locator('.cm-line', { hasText: '"sessionStatus": "COMPLETED"' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(500);
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, end: e.startTime + e.duration });
      }).observe({ type: 'longtask' });
    });
    // A busy machine (2 cores shared with builds) can stretch one task past 50 ms now and then; a
    // page that does the work on its main thread does so on every keystroke. So a keystroke is
    // measured up to three times, and one clean one passes.
    const attempts = [];
    for (const key of ['X', 'Y', 'Z']) {
      const from = await page.evaluate(() => performance.now());
      const n = await runs(page);
      await page.keyboard.type(key);
      await page.waitForFunction((k) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > k, n, { timeout: 20000 });
      const to = await page.evaluate(() => performance.now());
      // The verdict is that of the edited text: COMPLETEDX is no session status.
      assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), 'false');
      const got = await shown(page);
      assert.ok(got.errors.some((e) => e.pointer === '/payload/sessionStatus' && e.rule === 'schema.enum'), JSON.stringify(got.errors));
      // Long task entries arrive after the task: give them a moment.
      await page.waitForTimeout(300);
      const long = await page.evaluate(([a, b]) => window.longTasks.filter((t) => t.end > a && t.start < b), [from, to]);
      console.log(`1 MB VSS (${text.length} bytes), keystroke ${key}: to verdict ${(to - from).toFixed(0)} ms, long tasks in it: ${JSON.stringify(long)}`);
      attempts.push(long);
      if (long.length === 0) break;
    }
    assert.ok(attempts.at(-1).length === 0, `main-thread tasks over 50 ms between each keystroke and its verdict: ${JSON.stringify(attempts)}`);
    assert.deepEqual(page.log.errors, []);
    await page.context().close();
  });
});

describe('long lists', () => {
  /** The typical VSS with `legs` legs whose callId is no UUID: one schema.pattern error each. */
  function badLegs(legs) {
    const doc = JSON.parse(typicalVss().text);
    const body = doc.payload ?? doc;
    const leg = Object.values(body.details)[0];
    body.details = Object.fromEntries(Array.from({ length: legs }, (_, n) => [`call${n}`, { ...leg, callId: `not-a-uuid-${n}` }]));
    body.callCount = legs;
    return JSON.stringify(doc, null, 2);
  }

  /** Loads `text` as a file (Playwright's fill is slow on big texts) and waits for its check. */
  async function load(page, text) {
    await nextCheck(page, () => page.setInputFiles('#file', { name: 'legs.json', mimeType: 'application/json', buffer: Buffer.from(text) }));
    assert.equal(Number(await page.getAttribute('.cm-editor', 'data-length')), text.length);
  }

  test('the errors list shows the first 200 of N, and the core\'s report.truncated warning', async () => {
    const page = await open(browser);
    await load(page, badLegs(300));
    const errors = page.locator('[data-testid=errors] li[data-pointer]');
    assert.equal(await errors.count(), 200);
    assert.equal((await page.textContent('[data-testid=errors-more]')).trim(), 'first 200 of 300 errors');
    assert.equal(await page.textContent('#errors-count'), '(300)');
    assert.equal(await page.locator('[data-testid=warnings] li[data-rule="report.truncated"]').count(), 0, '300 findings are under the core\'s cap');
    // In document order: the first shown is the first leg's.
    assert.equal(await errors.first().getAttribute('data-pointer'), '/payload/details/call0/callId');

    // Over the core's cap of 1000 findings: the report lists 1000 and closes with report.truncated.
    await load(page, badLegs(1200));
    assert.equal(await errors.count(), 200);
    assert.equal((await page.textContent('[data-testid=errors-more]')).trim(), 'first 200 of 1000 errors');
    const cut = page.locator('[data-testid=warnings] li[data-rule="report.truncated"]');
    assert.equal(await cut.count(), 1, 'the truncated warning is shown');
    assert.match(await cut.textContent(), /first 1000 findings/);
    assert.deepEqual(page.log.errors, []);
    await page.context().close();
  });
});

describe('simulate a call', () => {
  const ivr = JSON.stringify({ callflow: [
    { action: 'makeCall', params: { source: '+6568332048', destination: '+6591178965' } },
    { action: 'sayAndCapture', params: { promptMessage: 'Press 1 for bookings, 2 for opening hours', voiceProfile: 'en-US-ZiraRUS', maxDigits: 1 } },
  ] }, null, 2);
  const state = (page) => page.getAttribute('[data-testid=simulate]', 'data-state');
  const waitState = (page, s) => page.waitForSelector(`[data-testid=simulate][data-state=${s}]`, { timeout: 10000 });
  const log = (page) => page.$$eval('[data-testid=sim-log] li', (lis) => lis.map((li) => li.textContent));

  test('a two-level IVR menu, keys 1 then 2 (the second from the keyboard), to a COMPLETED summary', async () => {
    const page = await open(browser);
    await paste(page, ivr);
    const requestsBefore = page.log.requests.length;
    await page.click('[data-testid=sim-play]');
    await waitState(page, 'keys');
    assert.match(await page.textContent('[data-testid=sim-prompt]'), /Press 1 for bookings/);
    await page.click('[data-testid=key-1]');
    assert.equal(await page.textContent('[data-testid=sim-keys]'), '1');
    await page.click('[data-testid=sim-send-keys]');
    await waitState(page, 'reply');
    const first = JSON.parse(await page.textContent('[data-testid=sim-vca]'));
    assert.equal(first.payload.eventData.dtmf, '1');
    assert.equal(first.payload.callStatus, 'ACTION_COMPLETED');
    // The reply is checked as it is typed.
    await page.fill('[data-testid=sim-reply]', '{"callflow": [');
    assert.equal(await page.getAttribute('[data-testid=sim-reply-verdict]', 'data-valid'), 'false');
    await page.fill('[data-testid=sim-reply]', JSON.stringify({ clientActionId: 'bookings', callflow: [
      { action: 'sayAndCapture', params: { promptMessage: 'Press 2 to book for tomorrow', voiceProfile: 'en-US-ZiraRUS', maxDigits: 1 } }] }));
    assert.equal(await page.getAttribute('[data-testid=sim-reply-verdict]', 'data-valid'), 'true');
    await page.click('[data-testid=sim-send-reply]');
    await waitState(page, 'keys');
    // From the keyboard: the keypad has the focus; type 2, Enter sends.
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid=sim-keypad]') !== null), true);
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await waitState(page, 'reply');
    const second = JSON.parse(await page.textContent('[data-testid=sim-vca]'));
    assert.deepEqual([second.payload.clientActionId, second.payload.eventData.dtmf], ['bookings', '2']);
    await page.fill('[data-testid=sim-reply]', '{"callflow": [{"action": "say", "params": {"text": "Booked for tomorrow. Goodbye.", "voiceProfile": "en-US-ZiraRUS"}}, {"action": "hangup"}]}');
    await page.keyboard.press('Control+Enter');
    await waitState(page, 'done');
    assert.equal(await page.getAttribute('[data-testid=sim-summary]', 'data-status'), 'COMPLETED');
    assert.match(await page.textContent('[data-testid=sim-summary] [data-testid=summary]'), /COMPLETED/);
    const lines = await log(page);
    for (const heard of ['Press 1 for bookings', 'Press 2 to book for tomorrow', 'Booked for tomorrow. Goodbye.']) {
      assert.ok(lines.some((l) => l.includes(`caller hears “${heard}`)), `${heard} in ${lines.join('\n')}`);
    }
    assert.ok(lines.some((l) => /POST VSS/.test(l)));
    assert.equal(await page.getAttribute('[data-testid=sim-legs] [data-leg=callA]', 'data-status'), 'COMPLETED');
    assert.deepEqual(page.log.requests.slice(requestsBefore), [], 'the call is played in the page: no request');
    await page.screenshot({ path: join(ARTIFACTS, 'simulate-ivr.png'), fullPage: true });
    assert.deepEqual(page.log.errors, []);
    assert.deepEqual(cspViolations(page), []);
    await page.context().close();
  });

  test('an invalid reply ends the call with -2003, as the reply box said it would', async () => {
    const page = await open(browser);
    await paste(page, ivr);
    await page.click('[data-testid=sim-play]');
    await waitState(page, 'keys');
    await page.click('[data-testid=key-2]');
    await page.click('[data-testid=sim-send-keys]');
    await waitState(page, 'reply');
    await page.fill('[data-testid=sim-reply]', '{"callflow": [{"action": "sayy"}]}');
    const verdict = await page.textContent('[data-testid=sim-reply-verdict]');
    assert.match(verdict, /sayy/);
    assert.match(verdict, /-2003/);
    await page.click('[data-testid=sim-send-reply]');
    await waitState(page, 'done');
    assert.equal(await page.getAttribute('[data-testid=sim-summary]', 'data-status'), 'ERROR');
    const lines = await log(page);
    assert.ok(lines.some((l) => l.includes('session ends ERROR (-2003)')), lines.join('\n'));
    assert.match(await page.textContent('[data-testid=sim-summary]'), /-2003/);
    assert.equal(await state(page), 'done');
    await page.context().close();
  });

  test('a documented Send Callflow plays without the editor, and a busy callee ends the session BUSY', async () => {
    const page = await open(browser);
    const options = await page.$$eval('[data-testid=sim-start] option', (os) => os.map((o) => [o.value, o.textContent]));
    const documented = options.find(([v]) => v.startsWith('example:'));
    assert.ok(documented, `documented callflows offered: ${JSON.stringify(options)}`);
    await page.selectOption('[data-testid=sim-start]', documented[0]);
    await page.selectOption('[data-testid=sim-callee]', 'busy');
    await page.click('[data-testid=sim-play]');
    await waitState(page, 'done');
    assert.equal(await page.getAttribute('[data-testid=sim-summary]', 'data-status'), 'BUSY');
    assert.equal(await page.getAttribute('[data-testid=sim-legs] [data-leg=callA]', 'data-status'), 'BUSY');
    await page.context().close();
  });
});

describe('accessibility and polish', () => {
  const axeSource = readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');
  /** axe's serious and critical violations on the page as it is now. */
  async function serious(page) {
    await page.evaluate(axeSource);
    const found = await page.evaluate(async () => {
      // @ts-ignore: axe is the script evaluated above
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  /** A typical VSS with errors, warnings and a decoded view. */
  function brokenVss() {
    const doc = JSON.parse(typicalVss().text);
    doc.payload.sessionStatus = 'BUSY';
    doc.payload.details.callA.callId = 'not-a-uuid';
    return JSON.stringify(doc, null, 2);
  }

  for (const [name, options] of [
    ['light 1280', { colorScheme: 'light' }],
    ['dark 390', { viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true }],
  ]) {
    test(`axe finds no serious or critical violation (${name}, a report with errors shown)`, async () => {
      // axe is a script the page's CSP would refuse: this context lets the test inject it
      const page = await open(browser, { bypassCSP: true, ...options });
      await paste(page, brokenVss());
      assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), 'false');
      assert.deepEqual(await serious(page), []);
      await page.context().close();
    });
  }

  test('each error button is named by what it shows, line:column first, and says it is an error', async () => {
    const page = await open(browser);
    await paste(page, brokenVss());
    const buttons = await page.$$eval('[data-testid=errors] button.diag', (bs) =>
      bs.map((b) => [b.querySelector('.loc').textContent, b.getAttribute('aria-label'), b.textContent]));
    assert.ok(buttons.length > 0);
    for (const [loc, label, name] of buttons) {
      assert.equal(label, null, 'named by its content');
      assert.ok(name.startsWith(`${loc} `) && name.endsWith(' (error)'), name);
      // the accessible name as a screen reader gets it
      assert.ok(await page.getByRole('button', { name: `${loc} ` }).first().isVisible(), name);
    }
    await page.context().close();
  });

  test('a status is not named twice, an event does not repeat its leg, a swatch keeps its word', async () => {
    const page = await open(browser);
    await paste(page, brokenVss());
    const heads = await page.$$eval('[data-testid=codes] .code-head', (hs) => hs.map((h) => h.textContent));
    assert.ok(heads.some((t) => t.startsWith('BUSY')), JSON.stringify(heads));
    assert.ok(!heads.some((t) => /BUSY\s+BUSY/.test(t)), JSON.stringify(heads));
    const events = await page.$$eval('.events li', (ls) => ls.map((l) => l.textContent));
    assert.ok(events.some((t) => t.includes('callA')), JSON.stringify(events));
    assert.ok(!events.some((t) => /\b(call[A-Z])\s+\1\b/.test(t)), JSON.stringify(events));
    const keys = await page.$$eval('.tl-legend .tl-key', (ks) => ks.map((k) => [k.textContent, getComputedStyle(k).whiteSpace, !!k.querySelector('.sw')]));
    assert.deepEqual(keys.map(([t]) => t), ['ringing', 'connected', 'not answered', 'failed']);
    assert.ok(keys.every(([, ws, sw]) => ws === 'nowrap' && sw));
    await page.context().close();
  });

  test('every example in the picker has a label of its own', async () => {
    const page = await open(browser);
    const labels = await page.$$eval('[data-testid=examples] option[data-file]', (os) =>
      os.map((o) => `${o.parentElement.getAttribute('label')} / ${o.textContent}`));
    assert.ok(labels.length > 0);
    const twice = labels.filter((l, i) => labels.indexOf(l) !== i);
    assert.deepEqual(twice, []);
    await page.context().close();
  });
});

describe('workbench', () => {
  /** The committed schema of a kind (the core's, as cargo xtask schemas writes it). */
  function committedSchema(kind) {
    return JSON.parse(readFileSync(join(ROOT, `crates/voicehook/schemas/${kind}.schema.json`), 'utf8'));
  }

  /** Puts the cursor in the value of the first `"name": "value"` line and empties the value. */
  async function emptyValue(page, name) {
    const line = page.locator('#editor .cm-line', { hasText: `"${name}"` }).first();
    const text = await line.textContent();
    const value = text.match(/:\s*"([^"]*)"/)[1];
    const box = await line.boundingBox();
    await line.click({ position: { x: box.width - 2, y: box.height / 2 } });
    await page.keyboard.press('End');
    for (let i = 0; i < (text.trimEnd().endsWith(',') ? 2 : 1); i++) await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < value.length; i++) await page.keyboard.press('Backspace');
  }

  test('completion offers NO_ANSWER for a VSS sessionStatus, and picking it fixes the document', async () => {
    const page = await open(browser);
    await paste(page, typicalVss().text);
    await page.waitForSelector('.cm-editor[data-schema="Voice Session Summary webhook"]', { state: 'attached' });
    await emptyValue(page, 'sessionStatus');
    await page.keyboard.press('Control+Space');
    const options = page.locator('#editor .cm-tooltip-autocomplete li');
    await options.first().waitFor();
    const offered = await options.allTextContents();
    assert.ok(offered.includes('NO_ANSWER'), `offered: ${offered.join(', ')}`);
    assert.ok(offered.includes('BUSY') && !offered.includes('CALL_RECEIVED'), 'the session statuses, not another enum');
    const before = await runs(page);
    await options.filter({ hasText: /^NO_ANSWER$/ }).click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > n, before);
    await page.waitForSelector('[data-testid=verdict]:not([data-busy])');
    const text = await page.evaluate(() => document.getElementById('editor').shadowRoot.querySelector('.cm-content').textContent);
    assert.match(text, /"sessionStatus": "NO_ANSWER"/);
    assert.deepEqual(page.log.errors, []);
    assert.deepEqual(cspViolations(page), []);
    await page.context().close();
  });

  test("hovering a field name shows the schema's description of it", async () => {
    const page = await open(browser);
    await paste(page, typicalVss().text);
    await page.waitForSelector('.cm-editor[data-schema="Voice Session Summary webhook"]', { state: 'attached' });
    const want = committedSchema('vss').$defs.VssPayload.properties.subAccountId.description;
    const key = page.locator('#editor .cm-line', { hasText: '"subAccountId"' }).first();
    await key.scrollIntoViewIfNeeded(); // the paste left the editor scrolled to its end
    const box = await key.boundingBox();
    const name = await key.evaluate((el) => {
      const r = document.createRange();
      const t = [...el.querySelectorAll('span')].find((s) => s.textContent === '"subAccountId"');
      r.selectNodeContents(t);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    });
    assert.ok(box);
    await page.mouse.move(name.x, name.y);
    const tip = page.locator('#editor .cm-tooltip-hover');
    await tip.waitFor({ timeout: 5000 });
    assert.ok((await tip.textContent()).includes(want), `hover: ${await tip.textContent()}; wanted ${want}`);
    await page.context().close();
  });

  test('format and minify keep every token as written; search and folding work', async () => {
    const page = await open(browser);
    const doc = '{"payload": {"big": 12345678901234567890, "s": "a \\"quoted\\" , : { [", "list": [1.50, {}, []]}}';
    await paste(page, doc);
    const text = () => page.evaluate(() => document.getElementById('editor').shadowRoot.querySelector('.cm-content').innerText);
    let before = await runs(page);
    await page.click('[data-testid=format]');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > n, before);
    const formatted = await text();
    assert.match(formatted, /\n {4}"big": 12345678901234567890,\n/);
    assert.match(formatted, /"s": "a \\"quoted\\" , : \{ \[",/);
    assert.match(formatted, /"list": \[\n {6}1\.50,\n {6}\{\},\n {6}\[\]\n {4}\]/);
    before = await runs(page);
    await page.click('[data-testid=minify]');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > n, before);
    assert.equal((await text()).trim(), '{"payload":{"big":12345678901234567890,"s":"a \\"quoted\\" , : { [","list":[1.50,{},[]]}}');
    // not JSON: nothing changes, and the page says why
    await paste(page, '{"a": 1, // a comment\n}');
    await page.click('[data-testid=format]');
    assert.match(await page.textContent('#action-status'), /needs plain JSON/);
    assert.equal(await text(), '{"a": 1, // a comment\n}');
    // search opens in the editor; a fold marker folds an object
    await paste(page, typicalVss().text);
    await page.click('#editor .cm-content');
    await page.keyboard.press('Control+f');
    await page.locator('#editor .cm-search input[name=search]').waitFor();
    const lines = await page.locator('#editor .cm-line').count();
    await page.locator('#editor .cm-foldGutter .cm-vh-fold[title=Fold]').nth(1).click();
    await page.locator('#editor .cm-foldPlaceholder').waitFor();
    assert.ok((await page.locator('#editor .cm-line').count()) < lines, 'folding hides lines');
    await page.context().close();
  });

  test('an empty editor shows a placeholder and one example of each kind to try', async () => {
    const page = await open(browser);
    assert.match(await page.textContent('#editor .cm-placeholder'), /Paste a webhook body/);
    const kinds = await page.$$eval('[data-testid=try-examples] button', (bs) => bs.map((b) => b.dataset.kind));
    assert.deepEqual(kinds, ['vss', 'vca', 'vcs', 'vru', 'vnu', 'callflow', 'vca-reply']);
    await page.click('[data-testid=try-examples] button[data-kind=vcs]');
    await page.waitForSelector('[data-testid=detected-kind][data-kind=vcs]');
    assert.equal(await page.isVisible('[data-testid=try-examples]'), false, 'the picker leaves once there is text');
    await page.click('#clear');
    await page.waitForSelector('[data-testid=try-examples]:not([hidden])');
    await page.context().close();
  });

  test('on a phone (390×844) the verdict is in view after a paste', async () => {
    const page = await open(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await paste(page, typicalVss().text);
    await page.waitForTimeout(200); // the intersection observer reports on the next frame
    const inView = await page.evaluate(() => {
      const seen = (el) => {
        if (!el || el.hidden) return false;
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight;
      };
      const shown = [document.getElementById('verdict'), document.getElementById('verdict-bar')].filter(seen);
      return shown.map((el) => el.textContent);
    });
    assert.ok(inView.some((t) => /Valid Voice Session Summary webhook/.test(t)), `in view: ${JSON.stringify(inView)}`);
    // the Kind select fits the screen
    const kind = await page.locator('[data-testid=kind-select]').boundingBox();
    assert.ok(kind.x >= 0 && kind.x + kind.width <= 390, `kind select at ${kind.x}+${kind.width}`);
    await page.context().close();
  });

  test('copy as cURL gives a command that replays the payload byte for byte', async () => {
    const { createServer } = await import('node:http');
    const { execFile } = await import('node:child_process');
    const got = [];
    const server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        got.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const page = await open(browser);
      // quotes of both kinds, a newline, non-ASCII: all must arrive as written
      const doc = JSON.parse(typicalVss().text);
      doc.description = "it's \"quoted\" — Zürich\n";
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      await paste(page, text);
      await page.fill('[data-testid=curl-url]', `http://127.0.0.1:${server.address().port}/hooks/8x8?x=1`);
      await page.click('[data-testid=copy-curl]');
      const command = await page.getAttribute('[data-testid=copy-curl]', 'data-command');
      const curl = process.env.VOICEHOOK_CURL ?? 'curl';
      const out = await new Promise((resolve, reject) =>
        execFile('sh', ['-c', command.replace(/^curl /, `'${curl}' `)], (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout))));
      assert.equal(out, 'ok');
      assert.equal(got.length, 1);
      assert.deepEqual(got[0], { method: 'POST', url: '/hooks/8x8?x=1', type: 'application/json', body: text });
      await page.context().close();
    } finally {
      server.close();
    }
  });

  test('the Markdown report lists the findings and, with Mask on, shows no full phone number', async () => {
    const page = await open(browser);
    const doc = JSON.parse(typicalVss().text);
    doc.payload.sessionStatus = 'BUSY!';
    const number = doc.payload.details.callA.destination;
    await paste(page, JSON.stringify(doc, null, 2));
    await page.click('[data-testid=copy-markdown]');
    let md = await page.getAttribute('[data-testid=copy-markdown]', 'data-markdown');
    assert.match(md, /^## Invalid Voice Session Summary webhook \(`vss`\): 1 error/);
    assert.match(md, /\| \d+:\d+ \| `schema\.enum` \| `\/payload\/sessionStatus` \| /);
    assert.ok(md.includes(number), 'unmasked: the payload is quoted as written');
    const before = await runs(page);
    await page.check('[data-testid=mask-toggle]');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > n, before);
    await page.waitForSelector('[data-testid=verdict]:not([data-busy])');
    await page.click('[data-testid=copy-markdown]');
    md = await page.getAttribute('[data-testid=copy-markdown]', 'data-markdown');
    assert.ok(!md.includes(number), 'masked: the full number is gone');
    assert.ok(md.includes(number.slice(-3)), 'masked: the last digits stay');
    assert.match(md, /phone numbers masked: yes/);
    await page.context().close();
  });

  test('a VCA gets a valid reply template with its clientActionId echoed', async () => {
    const page = await open(browser);
    const vca = [...cases.docs, ...cases.edge].find((c) => c.kind === 'vca' && c.report.valid);
    const doc = JSON.parse(vca.text);
    doc.payload.clientActionId = 'menu-2';
    await paste(page, JSON.stringify(doc, null, 2));
    await page.waitForSelector('[data-testid=reply-box]:not([hidden])');
    const reply = JSON.parse(await page.textContent('[data-testid=reply-template]'));
    assert.equal(reply.clientActionId, 'menu-2');
    assert.equal(await page.getAttribute('[data-testid=reply-verdict]', 'data-valid'), 'true');
    const before = await runs(page);
    await page.click('[data-testid=edit-reply]');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=verdict]').dataset.run) > n, before);
    assert.deepEqual((({ valid, kind }) => ({ valid, kind }))(await shown(page)), { valid: 'true', kind: 'vca-reply' });
    await page.context().close();
  });

  test('history survives a reload, compares two payloads, and Clear history empties it', async () => {
    const page = await open(browser);
    const doc = JSON.parse(typicalVss().text);
    await paste(page, JSON.stringify(doc, null, 2));
    await page.waitForSelector('[data-testid=history] li[data-kind=vss]');
    doc.payload.sessionStatus = 'BUSY';
    await paste(page, JSON.stringify(doc));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history] li[data-kind]').length === 2);
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    assert.equal(await page.locator('[data-testid=history] li[data-kind]').count(), 2);
    await page.click('[data-testid=diff-show]');
    const diff = await page.textContent('[data-testid=diff]');
    // one minified, one indented: only the changed line differs
    assert.match(diff, /^- {5}"sessionStatus": "COMPLETED",$/m);
    assert.match(diff, /^\+ {5}"sessionStatus": "BUSY",$/m);
    assert.equal((diff.match(/^[+-] /gm) ?? []).length, 2, diff);
    // loading an entry puts it back in the editor
    await page.locator('[data-testid=history] .history-load').nth(1).click();
    await page.waitForSelector('[data-testid=verdict][data-valid=true]');
    await page.click('[data-testid=history-clear]');
    assert.equal(await page.locator('[data-testid=history] li[data-kind]').count(), 0);
    await page.reload();
    await page.waitForSelector('html[data-ready=true]');
    assert.equal(await page.locator('[data-testid=history] li[data-kind]').count(), 0);
    await page.context().close();
  });

  test('the schema viewer follows the detected kind, folds, and finds a value', async () => {
    const page = await open(browser);
    await page.click('#schema-show');
    await paste(page, typicalVss().text);
    await page.waitForSelector('[data-testid=schema-view][data-kind=vss]');
    await page.fill('[data-testid=schema-search]', 'NO_ANSWER');
    assert.match(await page.textContent('#schema-found'), /^\d+ match/);
    const hit = page.locator('[data-testid=schema-view] [data-name=sessionStatus]');
    assert.equal(await hit.isVisible(), true);
    assert.equal(await page.locator('[data-testid=schema-view] [data-name=sourceRefId]').first().isVisible(), false);
    await page.fill('[data-testid=schema-search]', '');
    // a kind picked by hand stays
    await page.selectOption('[data-testid=schema-kind]', 'vcs');
    await paste(page, typicalVss().text.replace('"COMPLETED"', '"BUSY"'));
    assert.equal(await page.getAttribute('[data-testid=schema-view]', 'data-kind'), 'vcs');
    await page.context().close();
  });

  test('a dropped picture is refused, not offered a repair', async () => {
    const page = await open(browser);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await page.setInputFiles('#file', { name: 'screenshot.png', mimeType: 'image/png', buffer: png });
    await page.waitForFunction(() => /not a JSON file/.test(document.getElementById('action-status').textContent));
    assert.equal(await page.isVisible('#repair-box'), false);
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-valid'), null);
    await page.context().close();
  });
});
