// The sandbox's live view in real Chromium: a call placed by an app with no callee script waits
// on its sayAndCapture, and the keypad in the view drives it to the end; each webhook shows its
// verdict. The sandbox is the real `voicehook` binary (built by cargo xtask test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import http from 'node:http';
import { join } from 'node:path';
import { launch, ROOT } from '../lib.mjs';

const bin = process.env.VOICEHOOK_BIN ?? join(ROOT, 'target/debug/voicehook');
let sandbox, base, app, appUrl, browser;

function ivr(payload) {
  const voice = 'en-US-ZiraRUS';
  if (payload.clientActionId === undefined && payload.eventData?.dtmf === '1') {
    return { clientActionId: 'second', callflow: [{ action: 'sayAndCapture', params: { promptMessage: 'Press 2 to finish', voiceProfile: voice, maxDigits: 1 } }] };
  }
  return { callflow: [{ action: 'say', params: { text: 'Goodbye', voiceProfile: voice } }, { action: 'hangup' }] };
}

before(async () => {
  sandbox = spawn(bin, ['sandbox', '--port', '0', '--speed', 'instant'], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    sandbox.once('exit', (code) => reject(new Error(`voicehook sandbox exited with ${code}`)));
    createInterface({ input: sandbox.stdout }).once('line', resolve);
  });
  app = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const answer = req.url === '/vca' ? ivr(body.payload) : {};
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${app.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  app?.closeAllConnections();
  app?.close();
  sandbox?.kill('SIGTERM');
});

test('the live view shows a session and its keypad drives a script-less call to the end', async () => {
  const api = (path, body) => fetch(`${base}/api/v1/subaccounts/web_view${path}`, {
    method: 'POST', headers: { authorization: 'Bearer sandbox', 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  for (const type of ['VCA', 'VCS', 'VSS']) {
    assert.equal((await api('/webhooks', { type, url: `${appUrl}/${type.toLowerCase()}` })).status, 200);
  }
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/`);
  const created = await (await api('/callflows', { callflow: [
    { action: 'makeCall', params: { source: '+6568332048', destination: '+6591178965' } },
    { action: 'sayAndCapture', params: { promptMessage: 'Press 1 for sales', voiceProfile: 'en-US-ZiraRUS', maxDigits: 1 } },
  ] })).json();
  assert.equal(created.sessionStatus, 'CREATED');

  await page.waitForSelector('#keypad:not([hidden])', { timeout: 10000 });
  assert.match(await page.textContent('#prompt'), /Press 1 for sales/);
  await page.click('#keys button:text-is("1")');
  await page.click('#send');
  await page.waitForFunction(() => /Press 2 to finish/.test(document.querySelector('#prompt').textContent), null, { timeout: 10000 });
  await page.click('#keys button:text-is("2")');
  await page.click('#send');
  await page.waitForFunction(() => /COMPLETED/.test(document.querySelector('#title').textContent), null, { timeout: 10000 });
  assert.ok(await page.isHidden('#keypad'));

  const timeline = await page.textContent('#timeline');
  assert.match(timeline, /caller presses 1/);
  assert.match(timeline, /caller presses 2/);
  assert.match(timeline, /webhook VSS: .*COMPLETED/);
  assert.doesNotMatch(timeline, /✗/, 'every webhook passed');
  const valid = await page.locator('#timeline .good').count();
  assert.ok(valid >= 5, `${valid} webhooks shown valid`);
  assert.match(await page.textContent('#sessions'), /callflow · COMPLETED/);
  assert.deepEqual(errors, []);
});
