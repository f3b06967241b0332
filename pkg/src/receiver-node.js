// `voicehook/receiver` in Node (ESM): the receiver over the Node entry's core.
import { receivePolicy, dedupStore, validate } from './node.js';
import { makeReceiver } from './receiver.js';

export const { createReceiver, memoryStore, redisStore, FALLBACK_REPLY } = makeReceiver({ receivePolicy, dedupStore, validate });
