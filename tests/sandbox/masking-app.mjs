// A small Number Masking app: a customer calls the virtual number, the app bridges the call to
// the driver with recording on, and keeps the status, summary and recording webhooks.
import http from "node:http";

export async function startMaskingApp({ baseUrl, apiKey = "sandbox", subAccountId = "masking_app", driver }) {
  const got = { vcs: [], vss: [], vru: [], vca: [] };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const kind = req.url.split("/").pop();
      got[kind]?.push(body.payload);
      let answer = {};
      if (kind === "vca" && body.payload.callStatus === "CALL_RECEIVED") {
        answer = {
          callflow: [
            { action: "say", params: { text: "Connecting you to your driver", voiceProfile: "en-US-ZiraRUS" } },
            { action: "makeCall", params: { source: body.payload.destination, destination: driver, callRecording: true } },
          ],
        };
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const own = `http://127.0.0.1:${server.address().port}`;
  for (const type of ["VCA", "VCS", "VSS", "VRU"]) {
    const r = await fetch(`${baseUrl}/api/v1/subaccounts/${subAccountId}/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ type, url: `${own}/8x8/${type.toLowerCase()}` }),
    });
    if (r.status !== 200) throw new Error(`registering ${type}: ${r.status}`);
  }
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { got, close };
}
