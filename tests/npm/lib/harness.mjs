// Shared helpers of the npm environment tests: the scratch project (the packed tarball installed by
// `cargo xtask test`, see xtask/src/npm.rs), fixtures, app folders, a static server, headless Chromium.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { extname, join, dirname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const here = dirname(dirname(fileURLToPath(import.meta.url)));
export const root = process.env.VOICEHOOK_ROOT ?? join(here, '..', '..');
export const scratch = process.env.VOICEHOOK_SCRATCH;
if (!scratch) {
  throw new Error('VOICEHOOK_SCRATCH is not set: run these tests with `cargo xtask test` (it packs and installs the package)');
}

/**
 * The libraries users combine voicehook with (Express, Hono, the redis client, and types), from
 * this test environment's lockfile, linked into the scratch project so its programs import them
 * as a user's would.
 */
for (const name of ['express', 'fastify', 'hono', 'redis', '@types/express', '@types/node']) {
  const link = join(scratch, 'node_modules', name);
  if (existsSync(link)) continue;
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(join(here, 'node_modules', name), link, 'dir');
}

/** A valid document (an edge-case fixture marked valid) and a broken one (truncated JSON). */
export function fixtures() {
  const valid = readFileSync(join(root, 'tests/fixtures/edge/vss/valid.json'), 'utf8');
  return { valid, validKind: 'vss', broken: valid.slice(0, Math.floor(valid.length / 2)) };
}

/** A fresh folder in the scratch project holding the probe, the fixtures and `files`. */
export function app(name, files) {
  const dir = join(scratch, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(here, 'env/probe.js'), join(dir, 'probe.js'));
  writeFileSync(join(dir, 'fixtures.js'), `export default ${JSON.stringify(fixtures())};\n`);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/** Runs `node file` in `dir` and parses what it prints as JSON. */
export async function runNode(dir, file) {
  const { stdout } = await promisify(execFile)(process.execPath, [file], { cwd: dir, maxBuffer: 64 << 20 });
  return JSON.parse(stdout);
}

/** Judges a probe's answers; the verdict subtests wait on the validation engine. */
export async function judge(t, out) {
  await t.test('loads, lists kinds, serves schemas, rejects unknown kinds', () => {
    assert.equal(out.kinds.length, 10);
    assert.ok(out.kinds.includes('vca-reply'));
    assert.equal(out.schemaTitle, 'Voice Session Summary webhook');
    assert.match(out.unknownKind, /^TypeError: .*vsss.*vca-reply/);
  });
  await t.test('payload keys never reach Object.prototype', () => {
    assert.equal(out.polluted, false);
    assert.equal(out.reportIsPlain, true);
    assert.equal(typeof out.protoReport.valid, 'boolean');
  });
  await t.test('verdicts: a valid document passes as string, bytes and object; broken JSON fails with json.* (waits on the engine)', () => {
    for (const key of ['validText', 'validBytes', 'validObject']) {
      assert.deepEqual(out[key].errors, [], `${key}: ${JSON.stringify(out[key].errors)}`);
      assert.equal(out[key].valid, true, key);
      assert.equal(out[key].kind, 'vss', key);
    }
    assert.equal(out.detected.kind, 'vss');
    assert.equal(typeof out.detected.reason, 'string');
    assert.equal(out.broken.valid, false);
    assert.match(out.broken.errors[0]?.rule ?? '', /^json\./);
  });
}

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** Serves `dir` on 127.0.0.1 (a free port) until `close()`. */
export async function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

let browser = null;
/** One headless Chromium per test file (Debian's, see xtask/src/browser.rs). */
export async function chromium() {
  if (browser) return browser;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: process.env.VOICEHOOK_CHROMIUM ?? '/usr/bin/chromium',
    args: (process.env.VOICEHOOK_CHROMIUM_ARGS ?? '--no-sandbox --disable-gpu').split(' '),
  });
  return browser;
}
export async function closeChromium() {
  await browser?.close();
  browser = null;
}

/** Opens `path` of `dir` in Chromium and returns `window.__probe` once the page sets it. */
export async function probeInBrowser(dir, path) {
  const server = await serve(dir);
  const page = await (await chromium()).newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  try {
    await page.goto(`${server.url}${path}`);
    await page.waitForFunction(() => window.__probe || window.__probeError, null, { timeout: 20000 });
    const { result, error } = await page.evaluate(() => ({ result: window.__probe, error: window.__probeError }));
    if (error) throw new Error(`${error}\n${problems.join('\n')}`);
    return result;
  } catch (err) {
    err.message += `\n${problems.join('\n')}`;
    throw err;
  } finally {
    await page.close();
    await server.close();
  }
}

/** The module a browser app runs: probe the package, publish the answers on `window`. */
export function browserMain(specifier) {
  return (
    `import * as api from '${specifier}';\n` +
    `import { probe } from './probe.js';\n` +
    `import fixtures from './fixtures.js';\n` +
    `probe(api, fixtures, { needsInit: true }).then(\n` +
    `  (r) => { window.__probe = r; },\n` +
    `  (e) => { window.__probeError = String((e && e.stack) || e); },\n` +
    `);\n`
  );
}
