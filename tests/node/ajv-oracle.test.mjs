// The ajv oracle: a second, independent JSON Schema engine over the committed schemas/.
//
// The Rust tests check the same fixtures with the `jsonschema` crate; this file checks them with
// ajv (draft 2020-12, strict mode, every error), so a schema only passes when both engines read it
// the same way. Every case list comes from a manifest, never from a list written here:
// - tests/fixtures/docs/manifest.json (cargo xtask fixtures): every example of the 8x8 pages;
//   `json: true` with a kind must be accepted, `json: false` must stay unparseable.
// - tests/fixtures/openapi/manifest.json (when present): the OpenAPI examples, same rule.
// - tests/fixtures/edge/manifest.json (when present): ajv's verdict must equal `valid`.
// - the `examples` of each schema must pass their own schema.
// The one expected failure: a documented example may be rejected where, and only where, it still
// holds a template placeholder of its page (`{{Virtual Number}}`, `<utc_timestamp>`) that the
// reader is told to substitute; the Rust docs test makes the same exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KINDS = [
  'vss', 'vca', 'vcs', 'vru', 'vnu',
  'callflow', 'vca-reply', 'callflow-result', 'webhook-create', 'webhook-list',
];

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The entries of a manifest (an array, or an object holding one), each with its file's path. */
function manifest(dir) {
  const path = join(root, dir, 'manifest.json');
  if (!existsSync(path)) return null;
  const data = readJson(path);
  const entries = Array.isArray(data) ? data : Object.values(data).find(Array.isArray) ?? [];
  return entries.map((entry) => {
    // `file` is relative to the fixtures folder or, failing that, to the repository.
    const near = join(root, dir, entry.file);
    return { ...entry, path: existsSync(near) ? near : join(root, entry.file) };
  });
}

/** Ajv's errors as short lines: `pointer keyword message`. */
const explain = (errors) =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.keyword} ${e.message}`).join('; ');

/** True when `value` still holds a template placeholder the page asks the reader to fill in. */
const isPlaceholder = (value) =>
  typeof value === 'string' && (value.includes('{{') || /^<[^<>]+>$/.test(value));

/** The value at a JSON Pointer (ajv's instancePath). */
function at(doc, pointer) {
  if (pointer === '') return doc;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((v, key) => (v == null ? undefined : v[key]), doc);
}

/**
 * True when a rejection is owed to the page's template placeholders: at least one error sits on a
 * placeholder, and every other error belongs to a oneOf / anyOf over a value that holds one of
 * those placeholders (the branches the value was never meant to match, such as the `say` branch
 * for a makeCall action whose phone numbers are still `{{Virtual Number}}`).
 */
function rejectedForPlaceholders(doc, errors) {
  const within = (path, base) => path === base || path.startsWith(`${base}/`);
  const onPlaceholder = errors.filter((e) => isPlaceholder(at(doc, e.instancePath)));
  const alternatives = errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .map((e) => e.instancePath)
    .filter((base) => onPlaceholder.some((p) => within(p.instancePath, base)));
  return (
    onPlaceholder.length > 0 &&
    errors.every((e) => onPlaceholder.includes(e) || alternatives.some((base) => within(e.instancePath, base)))
  );
}

// ---- schemas ----------------------------------------------------------------------------------

const schemaFiles = readdirSync(join(root, 'crates/voicehook/schemas')).filter((f) => f.endsWith('.schema.json')).sort();
const schemas = new Map(
  schemaFiles.map((f) => [f.replace(/\.schema\.json$/, ''), readJson(join(root, 'crates/voicehook/schemas', f))]),
);

// Strict mode: unknown or ignored keywords, ambiguous types and open tuples throw at compile time.
// One check is off: strictRequired wants each `required` name declared in the same subschema, but
// schemas/callflow-result puts `then: {required: ["sessionId"]}` beside the top-level properties
// (sessionId is required once the session is CREATED), which is valid JSON Schema.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validators = new Map();
const compileErrors = [];
for (const [kind, schema] of schemas) {
  try {
    validators.set(kind, ajv.compile(schema));
  } catch (err) {
    compileErrors.push(`${kind}: ${err.message}`);
  }
}

test(`${schemas.size} schemas, one per kind id, each with $id, title, description and examples`, () => {
  assert.deepEqual([...schemas.keys()].sort(), [...KINDS].sort(), 'schemas/ holds one schema per kind id');
  for (const [kind, schema] of schemas) {
    for (const key of ['$id', 'title', 'description']) {
      assert.ok(typeof schema[key] === 'string' && schema[key].length > 0, `${kind}: ${key} is missing`);
    }
    assert.ok(Array.isArray(schema.examples) && schema.examples.length > 0, `${kind}: examples is missing`);
  }
});

test(`${schemas.size} schemas compile with ajv (draft 2020-12, strict, allErrors)`, () => {
  assert.deepEqual(compileErrors, []);
  assert.equal(validators.size, KINDS.length);
});

const schemaExamples = [...schemas].flatMap(([kind, schema]) =>
  (Array.isArray(schema.examples) ? schema.examples : []).map((doc, i) => ({ kind, i, doc })),
);
test(`${schemaExamples.length} schema examples accepted by their own schema`, () => {
  const wrong = [];
  for (const { kind, i, doc } of schemaExamples) {
    const validate = validators.get(kind);
    if (validate && !validate(doc)) wrong.push(`${kind} examples[${i}]: ${explain(validate.errors)}`);
  }
  assert.deepEqual(wrong, []);
});

// ---- documented examples ----------------------------------------------------------------------

/** Validates the parseable, classified entries of a fixtures manifest against their kind's schema. */
function verdicts(entries) {
  const checked = entries.filter((e) => e.json === true && e.kind != null);
  const accepted = [];
  const placeholderOnly = [];
  const rejected = [];
  for (const entry of checked) {
    const validate = validators.get(entry.kind);
    const doc = readJson(entry.path);
    if (!validate) {
      rejected.push(`${entry.file}: no compiled schema for kind ${entry.kind}`);
    } else if (validate(doc)) {
      accepted.push(entry.file);
    } else if (rejectedForPlaceholders(doc, validate.errors)) {
      placeholderOnly.push(entry.file);
    } else {
      rejected.push(`${entry.file} (${entry.kind}): ${explain(validate.errors)}`);
    }
  }
  return { checked, accepted, placeholderOnly, rejected };
}

const docs = manifest('tests/fixtures/docs') ?? [];
const { checked, accepted, placeholderOnly, rejected } = verdicts(docs);
test('the docs manifest lists every extracted example with its fields', () => {
  assert.ok(docs.length > 0, 'tests/fixtures/docs/manifest.json is missing or empty: run cargo xtask fixtures');
  for (const e of docs) {
    for (const key of ['file', 'page', 'line', 'heading', 'json', 'kind', 'note']) {
      assert.ok(key in e, `${e.file}: no ${key}`);
    }
    assert.ok(existsSync(e.path), `${e.file}: the file is missing`);
    assert.ok(e.kind === null || KINDS.includes(e.kind), `${e.file}: unknown kind ${e.kind}`);
    assert.equal(typeof e.json, 'boolean', `${e.file}: json is not a boolean`);
  }
});

test(
  `${accepted.length} doc examples accepted (of ${checked.length} parseable and classified; ` +
    `${placeholderOnly.length} rejected only at template placeholders)`,
  () => {
    assert.ok(checked.length > 0, 'no documented example to check');
    assert.deepEqual(rejected, [], 'documented examples ajv rejects');
  },
);

const negatives = docs.filter((e) => e.json === false);
test(`${negatives.length} doc examples that are not JSON as printed fail JSON.parse; the other ${docs.length - negatives.length} parse`, () => {
  const wrong = [];
  for (const e of docs) {
    const text = readFileSync(e.path, 'utf8');
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
    }
    if (parses !== e.json) wrong.push(`${e.file}: manifest says json ${e.json}, JSON.parse says ${parses}`);
  }
  assert.deepEqual(wrong, []);
});

// ---- OpenAPI examples --------------------------------------------------------------------------

const openapi = manifest('tests/fixtures/openapi');
const api = verdicts(openapi ?? []);
test(
  `${api.accepted.length} OpenAPI examples accepted (of ${api.checked.length} classified)`,
  { skip: openapi ? false : 'tests/fixtures/openapi/manifest.json does not exist' },
  () => {
    assert.deepEqual(api.rejected, [], 'OpenAPI examples ajv rejects');
    assert.deepEqual(api.placeholderOnly, [], 'OpenAPI examples hold no placeholders');
  },
);

// ---- edge cases -------------------------------------------------------------------------------

const edge = manifest('tests/fixtures/edge');
const edgeValid = (edge ?? []).filter((e) => e.valid === true).length;
test(
  edge
    ? `${edge.length} edge cases get their expected verdict (${edgeValid} valid, ${edge.length - edgeValid} invalid)`
    : 'edge cases get their expected verdict',
  { skip: edge ? false : 'tests/fixtures/edge/manifest.json does not exist yet' },
  () => {
    const wrong = [];
    for (const e of edge) {
      const validate = validators.get(e.kind);
      if (!validate) {
        wrong.push(`${e.file}: no compiled schema for kind ${e.kind}`);
        continue;
      }
      const ok = validate(readJson(e.path));
      if (ok !== e.valid) {
        const why = ok ? 'accepted' : explain(validate.errors);
        wrong.push(`${e.file}: expected valid=${e.valid} (${e.note}); ajv: ${why}`);
      }
    }
    assert.deepEqual(wrong, []);
  },
);
