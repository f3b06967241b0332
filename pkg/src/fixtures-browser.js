// `voicehook/fixtures` in browsers and bundlers: the fixtures over the browser entry's core
// (`await init()` from 'voicehook' before the first `example`).
import { exampleFrom } from './browser.js';
import * as data from '../dist/fixtures-data.js';
import { makeFixtures } from './fixtures.js';

export const { documented, named, example } = makeFixtures(exampleFrom, data);
