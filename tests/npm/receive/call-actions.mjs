// Call actions: the handler's reply (a builder or a document), and the fallback when it throws,
// times out or returns an invalid reply. Prints { answers, errors }.
import { createReceiver } from 'voicehook/receiver';
import { vcaReply } from 'voicehook';
import { serve, post, documented } from './common.mjs';

const errors = [];
const behaviours = {
  builder: () => vcaReply({ clientActionId: 'menu' }).sayAndCapture({ promptMessage: 'Press 1', voiceProfile: 'en-US-ZiraRUS', maxDigits: 1 }),
  document: async (e) => ({ clientActionId: 'echo', callflow: [{ action: 'say', params: { text: `from ${e.data.payload.source}`, voiceProfile: 'en-US-ZiraRUS' } }] }),
  throws: () => { throw new Error('database down'); },
  slow: () => new Promise((resolve) => setTimeout(() => resolve({ callflow: [{ action: 'hangup' }] }), 2000)),
  invalid: () => ({ callflow: [{ action: 'say', params: { text: 'no voice profile' } }] }),
  none: undefined,
};
const answers = {};
for (const [name, onCallAction] of Object.entries(behaviours)) {
  const receiver = createReceiver({ allow: 'any', onCallAction, callActionTimeoutMs: 300, onError: (err) => errors.push(`${name}: ${err.message}`) });
  const server = await serve(receiver.node);
  const r = await post(server.url, documented('number-masking--call-action-handling.1'));
  answers[name] = { status: r.status, type: r.headers['content-type'], reply: JSON.parse(r.body) };
  await server.close();
}
console.log(JSON.stringify({ answers, errors }));
