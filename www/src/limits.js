// @ts-check
// Shared by the page and its worker: how many items of a long list the page shows. A document of
// a megabyte holds a thousand legs; drawing them all would keep the page busy after every
// keystroke (200 legs take about 100 ms to lay out, 50 about 50 ms), so the page shows the first ones and
// says how many there are.

/** Legs (list and timeline rows) and timeline events shown. */
export const LEGS_SHOWN = 20;

/** Errors and warnings shown, each list. */
export const DIAGNOSTICS_SHOWN = 200;
