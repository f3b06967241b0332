// The same package through `require` (the CommonJS types, dist/index.d.cts and receiver.d.cts),
// also checked without the DOM library: the declarations must not need it.
import voicehook = require('voicehook');
import receiving = require('voicehook/receiver');

const report: voicehook.Report = voicehook.validate('{}', { kind: 'callflow' });
const receiver: receiving.Receiver = receiving.createReceiver({ allow: 'any', onEvent: (e) => e.key });
const ok: boolean = report.valid && receiver.pending === 0;
export = ok;
