// `voicehook/fixtures`: the documented examples voicehook accepts, by name, and documents for your
// tests built from them. The documents are data (dist/fixtures-data.js, written by the build from
// the crate's fixtures/documented.json); building one is the core's (`exampleFrom`).

/**
 * The fixtures API over `exampleFrom` (the core's, from an entry's API) and the shipped data.
 * @param {Function} exampleFrom
 * @param {{ examples: object[], bases: Record<string, object> }} data
 */
export function makeFixtures(exampleFrom, data) {
  const copy = (value) => JSON.parse(JSON.stringify(value));

  /** Every documented example voicehook accepts: `{ name, kind, page, heading, document }`. */
  function documented() {
    return copy(data.examples);
  }

  /** The documented example called `name` (`"ivr--session-summary-ivr.1"`), or `undefined`. */
  function named(name) {
    const found = data.examples.find((e) => e.name === name);
    return found === undefined ? undefined : copy(found);
  }

  /**
   * A document of `kind` (or of the documented example called `kind`) with `overrides` set,
   * always one voicehook accepts. Throws an Error saying why when the values make it invalid
   * (its `report` is the core's Report) or an override cannot be applied.
   */
  function example(kindOrName, overrides, options) {
    const documentedOne = data.examples.find((e) => e.name === kindOrName);
    const kind = documentedOne?.kind ?? kindOrName;
    const base = documentedOne?.document ?? data.bases[kind];
    if (base === undefined) {
      throw new TypeError(`voicehook: ${JSON.stringify(kindOrName)} is neither a kind nor a documented example (see documented())`);
    }
    const built = exampleFrom(kind, base, overrides, options);
    if (built.ok) return built.document;
    const error = new Error(`voicehook: ${built.error}`);
    if (built.report) error.report = built.report;
    throw error;
  }

  return { documented, named, example };
}
