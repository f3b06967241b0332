// An Express receiver in strict TypeScript, written the way the package README tells a user to:
// every webhook is read with `parse` (never `JSON.parse(body) as Vss`) and answered 200, a VCA is
// answered with a reply from the builder. test/receiver.test.mjs compiles it with tsc against the
// installed package, starts it and posts real documents to it.
import express from 'express';
import type { Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import { parse, vcaReply } from 'voicehook';
import type { Report, SessionStatus, VcaReply } from 'voicehook';

/** What the server made of each body, for the test to read back. */
type Seen =
  | { route: string; status: SessionStatus; legs: string[]; sourceRefId: string | null | undefined }
  | { route: string; digits: string | null | undefined; reply: VcaReply; predicted: Report['predictedSessionErrorCode'] }
  | { route: string; unusable: string | undefined };

const seen: Seen[] = [];
const app = express();
// The bytes as sent: voicehook reads them itself (positions in its report are into these bytes).
app.use(express.raw({ type: () => true, limit: '2mb' }));

app.post('/8x8/vss', (req: Request, res: Response) => {
  // Without a body Express leaves `req.body` undefined: parse reports json.empty. (Express types
  // it `any`; parse takes what a body can be: bytes, text, nothing.)
  const result = parse(req.body, { kind: 'vss' });
  if (result.ok) {
    const { payload } = result.data;
    // No cast: "NO ANSWER" arrives as NO_ANSWER, CallA as callA, "null" as null.
    seen.push({ route: 'vss', status: payload.sessionStatus, legs: Object.keys(payload.details), sourceRefId: payload.details.callA?.sourceRefId });
  } else {
    seen.push({ route: 'vss', unusable: result.report.errors[0]?.rule });
  }
  res.sendStatus(200);
});

app.post('/8x8/vca', (req: Request, res: Response) => {
  const result = parse(req.body, { kind: 'vca' });
  if (!result.ok) {
    seen.push({ route: 'vca', unusable: result.report.errors[0]?.rule });
    // Still a callflow: 8x8 ends the call cleanly instead of with -2003.
    res.json(vcaReply().hangup().build());
    return;
  }
  const digits = result.data.payload.eventData?.dtmf;
  const builder = digits === '1'
    ? vcaReply({ clientActionId: 'done' }).say({ text: 'Connecting you now.', voiceProfile: 'en-US-ZiraRUS' }).hangup()
    : vcaReply({ clientActionId: 'menu' }).sayAndCapture({ promptMessage: 'Press 1 for sales.', voiceProfile: 'en-US-ZiraRUS', maxDigits: 1 });
  const reply = builder.build();
  seen.push({ route: 'vca', digits, reply, predicted: builder.check().predictedSessionErrorCode });
  res.json(reply);
});

app.get('/seen', (_req: Request, res: Response) => {
  res.json(seen);
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ port }));
});
