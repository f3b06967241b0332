// `voicehook/receiver` elsewhere (Deno, Bun, workers, bundlers): the receiver over the browser
// entry's core. Call `await init()` from 'voicehook' before createReceiver.
import { receivePolicy, dedupStore, validate } from './browser.js';
import { makeReceiver } from './receiver.js';

export const { createReceiver, memoryStore, redisStore, FALLBACK_REPLY } = makeReceiver({ receivePolicy, dedupStore, validate });
