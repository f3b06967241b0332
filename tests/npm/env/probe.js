// Runs in every environment (Node ESM and CommonJS, plain browser module, Vite, webpack, esbuild)
// against the installed package, and returns what it saw; test/*.test.mjs judge the answers.
export async function probe(api, fixtures, { needsInit }) {
  const out = {};
  if (needsInit) await api.init();
  out.kinds = api.kinds().map((k) => k.id);
  out.validText = api.validate(fixtures.valid, { kind: fixtures.validKind });
  out.validBytes = api.validate(new TextEncoder().encode(fixtures.valid));
  out.validObject = api.validate(JSON.parse(fixtures.valid));
  out.broken = api.validate(fixtures.broken);
  // Keys from a payload must never reach Object.prototype.
  const hostile =
    '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}},' +
    ' "namespace": "VOICE", "eventType": "SESSION_SUMMARY", "payload": {"__proto__": {"polluted": "yes"}}}';
  out.protoReport = api.validate(hostile);
  api.validate(JSON.parse(hostile));
  api.validate(hostile, { kind: 'vss', strict: true, mask: true });
  out.polluted = {}.polluted !== undefined || Object.prototype.polluted !== undefined;
  out.reportIsPlain = Object.getPrototypeOf(out.protoReport) === Object.prototype;
  try {
    api.validate('{}', { kind: 'vsss' });
    out.unknownKind = 'no error';
  } catch (err) {
    out.unknownKind = `${err.constructor.name}: ${err.message}`;
  }
  out.schemaTitle = api.schema('vss').title;
  out.detected = api.detect(fixtures.valid);
  return out;
}
