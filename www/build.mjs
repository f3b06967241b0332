// The JavaScript half of building the page (xtask/src/web.rs runs it after `npm ci` here).
//
//   node build.mjs
//
// Writes www/dist/: index.html and style.css as they are, app.js (src/main.js bundled by esbuild
// with CodeMirror and the voicehook npm package from ../pkg), worker.js (src/worker.js, the
// module worker that checks the text, with the package), voicehook.wasm (the package's
// module), and prints the weight of every file, raw and gzipped. The documented examples of
// tests/fixtures/docs/ are embedded in app.js as the virtual module `virtual:examples`.
import { readFileSync, writeFileSync, mkdirSync, rmSync, copyFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';

const www = dirname(fileURLToPath(import.meta.url));
const root = join(www, '..');
const dist = join(www, 'dist');
const pkg = join(root, 'pkg');

// The page's JavaScript is type-checked against the package's generated declarations
// (pkg/dist/index.d.ts, see tsconfig.json) before it is bundled: a field the core does not write
// fails the build.
const tsc = spawnSync(process.execPath, [join(www, 'node_modules/typescript/bin/tsc'), '-p', join(www, 'tsconfig.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('www: tsc --noEmit found type errors in www/src (see above)');
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

/** The documented examples: every manifest entry with its text, in manifest order. */
function examples() {
  const dir = join(root, 'tests/fixtures/docs');
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entries = Array.isArray(manifest) ? manifest : (Object.values(manifest).find(Array.isArray) ?? []);
  const out = [];
  for (const entry of entries) {
    if (typeof entry.file !== 'string') continue;
    const path = [join(dir, entry.file), join(root, entry.file)].find(existsSync);
    if (!path) continue;
    out.push({
      file: entry.file,
      page: entry.page ?? '',
      heading: entry.heading ?? '',
      kind: entry.kind ?? null,
      json: entry.json !== false,
      note: entry.note ?? '',
      text: readFileSync(path, 'utf8'),
    });
  }
  return out;
}

const virtualExamples = {
  name: 'virtual-examples',
  setup(build) {
    build.onResolve({ filter: /^virtual:examples$/ }, () => ({ path: 'examples', namespace: 'virtual' }));
    build.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({
      contents: `export default ${JSON.stringify(examples())};`,
      loader: 'js',
    }));
  },
};

// codemirror-json-schema renders descriptions with markdown-it and, at load, builds a shiki
// highlighter for fenced code in them (about 270 KB of grammars and themes). The schemas'
// descriptions hold no fenced code, so shiki is replaced by a highlighter that does nothing:
// markdown-it still renders the text.
const noHighlighter = {
  name: 'no-highlighter',
  setup(build) {
    build.onResolve({ filter: /^(shiki|@shikijs\/markdown-it)(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'no-highlighter' }));
    build.onLoad({ filter: /.*/, namespace: 'no-highlighter' }, () => ({
      contents: 'export const createHighlighterCore = async () => ({});\nexport const fromHighlighter = () => () => {};\nexport default {};',
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox115', 'safari16.4'],
  minify: true,
  legalComments: 'none',
  // The browser entry of the package; the compiled .wasm (voicehook.wasm) is passed to init().
  alias: { voicehook: join(pkg, 'src/browser.js') },
  logLevel: 'warning',
};

// The page, and its checker: a module worker with the package (the page hands it the module).
await esbuild.build({ ...common, entryPoints: [join(www, 'src/main.js')], outfile: join(dist, 'app.js'), plugins: [virtualExamples, noHighlighter] });
await esbuild.build({ ...common, entryPoints: [join(www, 'src/worker.js')], outfile: join(dist, 'worker.js') });

copyFileSync(join(pkg, 'dist/voicehook_wasm_bg.wasm'), join(dist, 'voicehook.wasm'));
copyFileSync(join(www, 'index.html'), join(dist, 'index.html'));
copyFileSync(join(www, 'src/style.css'), join(dist, 'style.css'));

// --- weight ------------------------------------------------------------------------------------
let raw = 0;
let gz = 0;
const rows = [];
const files = [];
for (const name of readdirSync(dist).sort()) {
  const bytes = readFileSync(join(dist, name));
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += z;
  files.push({ name, bytes: bytes.length, gzipBytes: z });
  rows.push(`  ${name.padEnd(16)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB ${(z / 1024).toFixed(1).padStart(8)} KB gzip`);
}
const weight = { bytes: raw, gzipBytes: gz, files };
mkdirSync(join(root, 'target/web'), { recursive: true });
writeFileSync(join(root, 'target/web/weight.json'), JSON.stringify(weight));
console.error(`www/dist:\n${rows.join('\n')}\n  ${'total'.padEnd(16)} ${(raw / 1024).toFixed(1).padStart(8)} KB ${(gz / 1024).toFixed(1).padStart(8)} KB gzip`);
