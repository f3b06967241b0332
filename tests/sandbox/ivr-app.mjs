// A small IVR app, written as an integrator would write it against 8x8: it registers its
// webhooks with the Webhooks API, starts calls with Send Callflow, answers call actions with
// the next menu, and stores each session summary. Only `BASE_URL` points it at the sandbox.
import http from "node:http";

const SECRET = "Bearer ivr-app-secret";
const voice = "en-US-ZiraRUS";

/** The callflow to send for a call to `destination`. */
export function menuCallflow(destination, extra = {}) {
  return {
    ...extra,
    callflow: [
      { action: "makeCall", params: { source: "+6568332048", destination } },
      { action: "sayAndCapture", params: { promptMessage: "Press 1 for orders", voiceProfile: voice, maxDigits: 1 } },
    ],
  };
}

/** What the app answers to a call action. */
function nextStep(payload) {
  const dtmf = payload.eventData?.dtmf;
  if (payload.clientActionId === undefined && dtmf === "1") {
    return {
      clientActionId: "orders",
      callflow: [{ action: "sayAndCapture", params: { promptMessage: "Press 2 to hear your order status", voiceProfile: voice, maxDigits: 1 } }],
    };
  }
  if (payload.clientActionId === "orders" && dtmf === "2") {
    return { callflow: [{ action: "say", params: { text: "Your order ships today. Goodbye.", voiceProfile: voice } }, { action: "hangup" }] };
  }
  if (dtmf === "9") {
    // A bug on purpose: an action 8x8 does not know.
    return { callflow: [{ action: "transfer", params: { destination: "+6500000000" } }] };
  }
  return { callflow: [{ action: "hangup" }] };
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

/** Starts the app on a free loopback port. */
export async function startIvrApp({ baseUrl, apiKey = "sandbox", subAccountId = "ivr_app" }) {
  const summaries = new Map();
  const statuses = [];
  const actions = [];
  const server = http.createServer(async (req, res) => {
    if (req.headers.authorization !== SECRET) {
      res.writeHead(401).end();
      return;
    }
    const body = await readJson(req);
    const payload = body.payload ?? {};
    let answer = {};
    if (req.url === "/8x8/vca") {
      actions.push(payload);
      answer = nextStep(payload);
    } else if (req.url === "/8x8/vcs") {
      statuses.push(payload);
    } else if (req.url === "/8x8/vss") {
      summaries.set(payload.sessionId, payload);
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const own = `http://127.0.0.1:${server.address().port}`;
  const api = async (method, path, body) => {
    const r = await fetch(`${baseUrl}/api/v1/subaccounts/${subAccountId}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json() };
  };
  return {
    summaries,
    statuses,
    actions,
    async registerWebhooks() {
      for (const type of ["VCA", "VCS", "VSS"]) {
        const r = await api("POST", "/webhooks", { type, url: `${own}/8x8/${type.toLowerCase()}`, httpAuthHeader: SECRET });
        if (r.status !== 200) throw new Error(`registering ${type}: ${r.status} ${JSON.stringify(r.body)}`);
      }
    },
    call(destination, extra) {
      return api("POST", "/callflows", menuCallflow(destination, extra));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
