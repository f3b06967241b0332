// The same package through `require` (the CommonJS types, dist/index.d.cts).
import voicehook = require('voicehook');

const report: voicehook.Report = voicehook.validate('{}', { kind: 'callflow' });
const ok: boolean = report.valid;
export = ok;
