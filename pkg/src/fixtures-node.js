// `voicehook/fixtures` in Node (ESM): the fixtures over the Node entry's core.
import { exampleFrom } from './node.js';
import * as data from '../dist/fixtures-data.js';
import { makeFixtures } from './fixtures.js';

export const { documented, named, example } = makeFixtures(exampleFrom, data);
