// The modules www/build.mjs provides at bundle time.

declare module 'virtual:examples' {
  /** One documented example (tests/fixtures/docs/manifest.json), with its text. */
  export interface Example {
    file: string;
    page: string;
    heading: string;
    kind: import('voicehook').Kind | null;
    json: boolean;
    note: string;
    text: string;
  }
  const examples: Example[];
  export default examples;
}
