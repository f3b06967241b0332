// Browsers: the packed package in headless Chromium, as a plain module script and bundled by
// Vite, webpack 5 and esbuild (the `voicehook/inline` entry, since esbuild copies no wasm file).
import { after, test } from 'node:test';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { app, browserMain, closeChromium, judge, probeInBrowser, scratch } from '../lib/harness.mjs';

after(closeChromium);

const page = (script) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>voicehook</title></head><body>${script}</body></html>\n`;

test('plain <script type="module"> with an import map', async (t) => {
  app('plain', {
    'main.js': browserMain('voicehook'),
    'index.html': page(
      '<script type="importmap">{"imports": {"voicehook": "/node_modules/voicehook/src/browser.js"}}</script>\n' +
        '<script type="module" src="/plain/main.js"></script>',
    ),
  });
  // Served from the scratch root so that /node_modules/voicehook/ is reachable, as in a static site.
  await judge(t, await probeInBrowser(scratch, '/plain/index.html'));
});

test('Vite production build', async (t) => {
  const dir = app('vite', {
    'main.js': browserMain('voicehook'),
    'index.html': page('<script type="module" src="./main.js"></script>'),
  });
  const { build } = await import('vite');
  await build({ root: dir, logLevel: 'warn', configFile: false, build: { outDir: 'dist', emptyOutDir: true } });
  await judge(t, await probeInBrowser(join(dir, 'dist'), '/index.html'));
});

test('webpack 5 production build', async (t) => {
  const dir = app('webpack', {
    'main.js': browserMain('voicehook'),
    'dist/index.html': page('<script src="main.js"></script>'),
  });
  const { default: webpack } = await import('webpack');
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        context: dir,
        entry: './main.js',
        target: 'web',
        output: { path: join(dir, 'dist'), filename: 'main.js', clean: false },
        performance: { hints: false },
      },
      (err, stats) => (err ? reject(err) : resolve(stats)),
    ),
  );
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'));
  await judge(t, await probeInBrowser(join(dir, 'dist'), '/index.html'));
});

test('esbuild bundle (voicehook/inline)', async (t) => {
  const dir = app('esbuild', {
    'main.js': browserMain('voicehook/inline'),
    'dist/index.html': page('<script type="module" src="./main.js"></script>'),
  });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(dir, 'main.js')],
    outfile: join(dir, 'dist/main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    absWorkingDir: dir,
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'dist/.built'), '');
  await judge(t, await probeInBrowser(join(dir, 'dist'), '/index.html'));
});
