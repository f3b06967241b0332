// A small typed use of the package, checked by `tsc --noEmit` (test/types.test.mjs): the generated
// declarations must describe the API, the Report and every payload kind.
import { validate, parse, decode, receivePolicy, dedupStore, simulate, sendCallflow, vcaReply, detect, kinds, rules, schema, init, explainCode, lookupCode, repair } from 'voicehook';
import { documented, named, example } from 'voicehook/fixtures';
import { createReceiver, memoryStore, redisStore } from 'voicehook/receiver';
import type { Receiver, ReceivedEvent } from 'voicehook/receiver';
import type { Example, Overrides } from 'voicehook/fixtures';
import type {
  Report, Detection, Diagnostic, Finding, Span, RuleId, Rule, Kind, KindInfo, Vss, Callflow, VcaReply, PayloadByKind, Payload, Explanation, Lookup, Suggestion, Repaired,
  ParseResult, Verdict, Rejection, RejectReason, Decoded, Leg, Product, LegStatus, CallDirection, VssWire, WirePayloadByKind, SessionStatus, Action, MakeCall, Say, SayAndCapture, PlayFile, Hangup,
} from 'voicehook';

await init();
const body = new TextEncoder().encode('{}');
const report: Report = validate(body, { kind: 'vss', strict: true, now: new Date(), maxDepth: 64, maxSize: 1 << 20, mask: true });
const valid: boolean = report.valid;
const kind: Kind | null | undefined = report.kind;
const errorRules: string[] = report.errors.map((d: Diagnostic) => d.rule);
const line: number | null | undefined = report.warnings[0]?.line;
// Each finding keeps the bytes it is about; Diagnostic is the same type under its older name.
const finding: Finding | undefined = report.errors[0];
const span: Span | undefined = finding?.span;
const start: number | undefined = span?.start;
const older: Diagnostic | undefined = finding;
const predicted: number | null | undefined = validate({ destination: '+6512345678' }, { kind: 'callflow' }).predictedStatusCode;
// Rule ids are a union generated from the rule catalog.
const first: RuleId | undefined = report.errors[0]?.rule;
const known: RuleId = 'vss.duration';
// @ts-expect-error: not a rule id
const unknown: RuleId = 'vss.nope';
validate('{}', { kind: 'auto' });
validate('{}');
// A missing body (a request without one) is a document the Report calls empty, not a type error.
declare const maybeBody: Uint8Array | undefined;
const empty: Report = validate(maybeBody);
validate(null);

// @ts-expect-error: not a kind id
validate('{}', { kind: 'vsss' });
// @ts-expect-error: strict is a boolean
validate('{}', { strict: 'yes' });
// @ts-expect-error: numbers are not documents
validate(42);

const detection: Detection = detect(body);
const detectedKind: Kind | null | undefined = detection.kind;
const why: string = detection.reason;

const ids: Kind[] = kinds().map((k: KindInfo) => k.id);
// The catalog: ids are RuleIds, and it says which findings `repair` can fix.
const fixable: RuleId[] = rules().filter((r: Rule) => r.repairable).map((r) => r.id);
const vssSchema: Record<string, unknown> = schema('vss');

const explained: Explanation[] = explainCode('BUSY');
const looked: Lookup = lookupCode('NO_ANSWR');
const suggestion: Suggestion | undefined = looked.suggestions[0];
const again: Explanation[] = suggestion ? lookupCode(suggestion.query).matches : explained;
const spelledAs: string | undefined = again[0]?.table === 'status' ? again[0].spelling?.note : undefined;
lookupCode(-2004);
// @ts-expect-error: a code is a string or a number
lookupCode({ code: 1 });
const repaired: Repaired = repair("{'a': 1}");
const stillNotJson: boolean = !repaired.json;
const firstProblem: number | null | undefined = repaired.remaining[0]?.line;

declare const summary: Vss;
const sessionId: string = summary.payload.sessionId;
// A one-leg session has no callB: a leg is looked up, not assumed.
const firstLeg: string | undefined = summary.payload.details.callA?.callId;
// @ts-expect-error: details.callB may not exist
summary.payload.details.callB.callId;
// Predicted codes are the codes of 8x8's tables.
declare const predictedReport: Report;
const code: 1 | -1017 | -1009 | number | null | undefined = predictedReport.predictedStatusCode;
// @ts-expect-error: 42 is no API status code
const notACode: Report['predictedStatusCode'] = 42;
const callCount: number = summary.payload.callCount;
declare const flow: Callflow;
const firstAction: string = flow.callflow[0].action;
const byKind: PayloadByKind['vca-reply'] = {} as VcaReply;
declare const any: Payload;

// parse: the document as voicehook read it, typed. With the kind given, data is that kind's.
const parsed = parse(body, { kind: 'vss' });
if (parsed.ok) {
  const status: SessionStatus = parsed.data.payload.sessionStatus;
  // Canonical types carry the canonical spellings only.
  const noAnswer: SessionStatus = 'NO_ANSWER';
  // @ts-expect-error: "NO ANSWER" is a wire spelling, read as NO_ANSWER
  const spaced: SessionStatus = 'NO ANSWER';
  // @ts-expect-error: a VSS has no callflow
  parsed.data.callflow;
} else {
  const why: Report = parsed.report;
  // @ts-expect-error: no data when the report is not valid
  parsed.data.payload;
}
// Without the kind, `kind` narrows `data`.
const any2: ParseResult = parse(body);
if (any2.ok && any2.kind === 'vca') {
  const digits: string | null | undefined = any2.data.payload.eventData?.dtmf;
  // @ts-expect-error: a VCA has no sessionStatus
  any2.data.payload.sessionStatus;
}
if (any2.ok && any2.kind === 'callflow') {
  const steps: string[] = any2.data.callflow.map((a) => a.action);
}
// decode: the values 8x8 documents are unions (editors complete them); decode also explains
// invalid documents, so a leg's fields stay open to what the document wrote.
const decoded: Decoded | null = decode(body);
const leg: Leg | undefined = decoded?.legs[0];
const inbound: boolean = leg?.direction === 'INBOUND' && leg.status === 'NO_ANSWER';
const direction: Leg['direction'] = 'OUTBOUND' satisfies CallDirection;
const legStatus: Leg['status'] = 'BUSY' satisfies LegStatus;
// @ts-expect-error: a direction is text
const numericDirection: Leg['direction'] = 1;
const oddDirection: Leg['direction'] = 'SIDEWAYS';
const product: Product | undefined = decoded?.product?.product;
// @ts-expect-error: the product is one of four ids
const notAProduct: Product = 'voicemessaging';
if (decoded?.outcome?.status === 'CANCELED') {
  const success: boolean = decoded.outcome.success;
}
// The wire types say what validation accepts, quirks included.
const wireStatus: VssWire['payload']['sessionStatus'] = 'NO ANSWER';
const wireVss: WirePayloadByKind['vss'] = {} as VssWire;

// The builders: makeCall first for Send Callflow, every param typed.
const sent: Callflow = sendCallflow({ validUntil: new Date() })
  .makeCall({ source: '+6568888888', destination: '+6598888888' })
  .say({ text: 'Hello', voiceProfile: 'en-US-BenjaminRUS', speed: 1 })
  .hangup()
  .build();
const predictedCode: number | null | undefined = sendCallflow().makeCall({ source: '+6568888888', destination: '+6598888888' }).check().predictedStatusCode;
// @ts-expect-error: a Send Callflow must start with makeCall
sendCallflow().say({ text: 'Hello', voiceProfile: 'en-US-BenjaminRUS' });
// @ts-expect-error: say needs its text
vcaReply().say({ voiceProfile: 'en-US-BenjaminRUS' });
const reply: VcaReply = vcaReply({ clientActionId: 'menu' }).sayAndCapture({ promptMessage: 'Press 1', voiceProfile: 'en-US-BenjaminRUS', maxDigits: 1 }).build();
// A callflow built in a loop, from the per-action types.
const steps: Action[] = [];
const call: MakeCall = { action: 'makeCall', params: { source: '+6568888888', destination: '+6598888888' } };
steps.push(call);
for (const text of ['one', 'two']) {
  const step: Say = { action: 'say', params: { text, voiceProfile: 'en-US-BenjaminRUS' } };
  steps.push(step);
}
const end: Hangup = { action: 'hangup' };
steps.push(end);
const looped: Callflow = { callflow: steps };
declare const capture: SayAndCapture;
declare const play: PlayFile;
const names: string[] = [capture.action, play.action];

// The receiver: events narrow by kind; a call action answers with a reply or a builder.
const statuses: string[] = [];
const receiver: Receiver = createReceiver({
  allow: ['8x8', '10.0.0.0/8'],
  trustedProxies: 1,
  authorization: 'Bearer t',
  store: memoryStore({ capacity: 1000 }),
  onEvent: (event) => {
    if (event.kind === 'vss') statuses.push(event.data.payload.sessionStatus);
    // @ts-expect-error: a call action never reaches onEvent
    if (event.kind === 'vca') statuses.push('');
  },
  onCallAction: (event: ReceivedEvent<'vca'>) => vcaReply({ clientActionId: event.data.payload.callId }).hangup(),
});
const handled: Promise<Response> = receiver.fetch(new Request('https://example.test/'), { remoteAddress: '10.0.0.1' });
// @ts-expect-error: not an option
createReceiver({ alow: '8x8' });
declare const redisClient: { sendCommand(args: string[]): Promise<unknown> };
createReceiver({ store: redisStore(redisClient, { prefix: 'app:' }) });
const verdict: Verdict = receivePolicy({ kinds: ['vss'] }).check({ peer: '::1', headers: { authorization: 't' }, body: '{}' });
if (verdict.verdict === 'reject') {
  const reason: RejectReason = verdict.reason;
  const status: Rejection['status'] = verdict.status;
} else if (verdict.kind === 'vss') {
  const session: string = verdict.data.payload.sessionId;
}
const claimed: 'new' | 'duplicate' | 'in-progress' = dedupStore(10).claim('k', Date.now(), 1000);

// Fixtures: the kind types the document.
const testVss: VssWire = example('vss', { 'payload.sessionStatus': 'BUSY' });
const testFlow: WirePayloadByKind['callflow'] = example('callflow', ['callflow.0.params.destination=+6598888888']);
const byName = example('ivr--session-summary-ivr.1');
const firstExample: Example | undefined = documented()[0];
const maybe: Example | undefined = named('ivr--session-summary-ivr.1');
const overrides: Overrides = { 'payload.details.callA.callDuration': 12 };
// @ts-expect-error: overrides are an object or a list, not a number
example('vss', 12);

// The call engine: the state and the events narrow by their tag.
const simCall = simulate({ callflow: '{"callflow": []}' }, { keys: ['1', { digits: '2#', gap: 200 }], legs: [{ outcome: 'busy' }] }, { interactive: true });
if (simCall.state.waiting === 'keys') simCall.press('1');
if (simCall.state.waiting === 'reply') simCall.reply({ callflow: [{ action: 'hangup' }] }, { status: 200 });
let heard = 0;
for (const e of simCall.events) if (e.event === 'say') heard += e.ms + e.t;
const inboundCall = simulate({ inbound: { from: '+6590000001', to: '+6568332048' } }).play((vca) => (vca.payload.callStatus === 'CALL_RECEIVED' ? '{"callflow": [{"action": "hangup"}]}' : null));
// @ts-expect-error: an outcome the engine does not know
simulate({ callflow: '{}' }, { legs: [{ outcome: 'maybe' }] });

export { heard, inboundCall, handled, claimed, product, oddDirection, inbound, direction, legStatus, firstLeg, code, testVss, testFlow, byName, firstExample, maybe, overrides, sent, predictedCode, reply, looped, names, spelledAs, stillNotJson, firstProblem, empty, detectedKind, why, valid, kind, errorRules, fixable, line, predicted, ids, vssSchema, sessionId, callCount, firstAction, byKind, any };
