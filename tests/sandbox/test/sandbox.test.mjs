// End to end: `voicehook sandbox` (the real binary, on a free loopback port) drives small Node
// apps that use nothing but fetch and node:http, as they would use 8x8.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { startIvrApp } from "../ivr-app.mjs";
import { startMaskingApp } from "../masking-app.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.env.VOICEHOOK_BIN ?? path.join(here, "../../../target/debug/voicehook");
let sandbox;
let baseUrl;

before(async () => {
  sandbox = spawn(bin, ["sandbox", "--port", "0", "--speed", "instant", "--scenario", path.join(here, "../scenario.json")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: sandbox.stdout });
  baseUrl = await new Promise((resolve, reject) => {
    sandbox.once("exit", (code) => reject(new Error(`voicehook sandbox exited with ${code}`)));
    lines.once("line", resolve);
  });
  assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
});

after(async () => {
  const exited = new Promise((resolve) => sandbox.once("exit", resolve));
  sandbox.kill("SIGTERM");
  assert.equal(await exited, 0, "the sandbox stops cleanly on SIGTERM");
});

async function finished(sessionId) {
  for (let i = 0; i < 400; i++) {
    const s = await (await fetch(`${baseUrl}/sandbox/sessions/${sessionId}`)).json();
    if (s.state === "done") return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`session ${sessionId} did not finish`);
}

test("an IVR app is driven through keys 1 then 2 to a COMPLETED summary it stores", async () => {
  const app = await startIvrApp({ baseUrl });
  try {
    await app.registerWebhooks();
    const { status, body } = await app.call("+6591110001");
    assert.equal(status, 200);
    assert.equal(body.sessionStatus, "CREATED");
    await finished(body.sessionId);
    const summary = app.summaries.get(body.sessionId);
    assert.ok(summary, "the app stored the summary");
    assert.equal(summary.sessionStatus, "COMPLETED");
    assert.equal(summary.lastAction, "HANGUP");
    const keys = app.actions.filter((a) => a.sessionId === body.sessionId).map((a) => a.eventData.dtmf);
    assert.deepEqual(keys, ["1", "2"]);
    const statuses = app.statuses.filter((s) => s.sessionId === body.sessionId).map((s) => s.callStatus);
    assert.deepEqual([statuses[0], statuses.at(-1)], ["CALL_INITIATED", "CALL_DISCONNECTED"]);
  } finally {
    await app.close();
  }
});

test("the same app through busy, no answer, an invalid reply and an expired validUntil", async () => {
  const app = await startIvrApp({ baseUrl });
  try {
    await app.registerWebhooks();
    const outcomes = {};
    for (const [to, name] of [["+6591110002", "busy"], ["+6591110003", "noAnswer"], ["+6591110009", "invalid"]]) {
      const { body } = await app.call(to);
      assert.equal(body.sessionStatus, "CREATED");
      await finished(body.sessionId);
      outcomes[name] = app.summaries.get(body.sessionId);
    }
    assert.equal(outcomes.busy.sessionStatus, "BUSY");
    assert.equal(outcomes.noAnswer.sessionStatus, "NO_ANSWER");
    assert.equal(outcomes.invalid.sessionStatus, "ERROR");
    assert.equal(outcomes.invalid.errorDetails.errorCode, -2003);

    const expired = await app.call("+6591110001", { validUntil: "2020-01-01T00:00:00Z" });
    assert.equal(expired.status, 422);
    assert.equal(expired.body.sessionStatus, "NOT_CREATED");
    assert.equal(expired.body.statusCode, -1015);
  } finally {
    await app.close();
  }
});

test("a Number Masking app bridges an inbound call and receives VCS, VSS and VRU", async () => {
  const app = await startMaskingApp({ baseUrl, driver: "+6591234567" });
  try {
    const r = await fetch(`${baseUrl}/sandbox/calls`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: "+6598765432", to: "+6531570000", subAccountId: "masking_app" }),
    });
    assert.equal(r.status, 200);
    const { sessionId } = await r.json();
    const session = await finished(sessionId);
    assert.equal(session.status, "COMPLETED");
    assert.equal(app.got.vca[0].callStatus, "CALL_RECEIVED");
    assert.ok(app.got.vcs.some((s) => s.callStatus === "CALL_CONNECTED" && s.callDirection === "OUTBOUND"), "the driver's leg connected");
    assert.equal(app.got.vss.length, 1);
    assert.equal(app.got.vss[0].callCount, 2);
    assert.equal(app.got.vru.length, 1);
    assert.equal(app.got.vru[0].status, "UPLOAD_COMPLETED");
    // Every webhook the sandbox sent passed voicehook's strict check.
    const { exchanges } = await (await fetch(`${baseUrl}/sandbox/exchanges?session=${sessionId}`)).json();
    const hooks = exchanges.filter((x) => x.direction === "webhook");
    assert.ok(hooks.length >= 8);
    assert.ok(hooks.every((x) => x.report.valid), JSON.stringify(hooks.filter((x) => !x.report.valid)));
  } finally {
    await app.close();
  }
});
