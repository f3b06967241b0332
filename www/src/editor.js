// @ts-check
// The payload editor: CodeMirror 6 with line numbers, JSON highlighting and the report's
// diagnostics marked in place. It knows nothing about 8x8 documents: it is handed diagnostics
// (line, column, message) and turns them into marked spans.
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, syntaxHighlighting, syntaxTree } from '@codemirror/language';
import { json } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { tags as t } from '@lezer/highlight';

const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: 'var(--syn-key)' },
  { tag: t.string, color: 'var(--syn-string)' },
  { tag: t.number, color: 'var(--syn-number)' },
  { tag: [t.bool, t.null], color: 'var(--syn-keyword)' },
  { tag: [t.brace, t.squareBracket, t.separator, t.punctuation], color: 'var(--muted)' },
  { tag: t.comment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: t.invalid, color: 'var(--bad)' },
]);

const theme = EditorView.theme({
  '&': { color: 'var(--fg)', backgroundColor: 'var(--bg-editor)', height: '100%' },
  '.cm-scroller': { fontFamily: 'var(--mono)', fontSize: '13px', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)', padding: '6px 0' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '-2px' },
  '.cm-gutters': { backgroundColor: 'var(--bg-gutter)', color: 'var(--muted)', borderRight: '1px solid var(--line)' },
  '.cm-activeLine': { backgroundColor: 'var(--bg-active)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-active)', color: 'var(--fg)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground':
    { backgroundColor: 'var(--bg-selection)' },
  '.cm-vh-focus': { backgroundColor: 'var(--bg-focus-span)', outline: '1px solid var(--focus)', borderRadius: '2px' },
  '.cm-tooltip': { backgroundColor: 'var(--bg-card)', color: 'var(--fg)', border: '1px solid var(--line)' },
});

/** The span picked in the diagnostics list, highlighted until the next edit or pick. */
/** @type {import('@codemirror/state').StateEffectType<{from: number, to: number} | null>} */
const setFocusSpan = StateEffect.define();
const focusSpan = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (e.is(setFocusSpan)) {
        return e.value && e.value.to > e.value.from
          ? Decoration.set([Decoration.mark({ class: 'cm-vh-focus' }).range(e.value.from, e.value.to)])
          : Decoration.none;
      }
    }
    return tr.docChanged ? Decoration.none : deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

/**
 * Creates the editor in `parent`. `onChange()` runs after every edit (it reads `text()` when it
 * needs the text: joining a large document on every keystroke would cost time); `onFiles(files)` when
 * files are dropped on it. `attrs` are put on the contenteditable element (test id, labels).
 */
/**
 * @param {HTMLElement} parent
 * @param {{onChange: () => void, onFiles: (files: FileList) => void, attrs: Record<string, string>}} options
 */
export function createEditor(parent, { onChange, onFiles, attrs }) {
  // Inside a shadow root CodeMirror styles itself with constructed style sheets instead of
  // <style> elements, so the page's Content-Security-Policy needs no 'unsafe-inline' for styles.
  // The theme's colors are CSS custom properties, which the shadow root inherits from the page.
  const root = parent.attachShadow({ mode: 'open' });
  const view = new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc: '',
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        lintGutter(),
        history(),
        drawSelection(),
        bracketMatching(),
        json(),
        syntaxHighlighting(highlight),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of(attrs),
        theme,
        focusSpan,
        EditorView.updateListener.of((u) => {
          if (u.selectionSet || u.docChanged) {
            const head = u.state.selection.main.head;
            const line = u.state.doc.lineAt(head);
            view.dom.dataset.cursorLine = String(line.number);
            view.dom.dataset.cursorColumn = String(head - line.from + 1);
          }
          if (u.docChanged) {
            view.dom.dataset.length = String(u.state.doc.length);
            onChange();
          }
        }),
        EditorView.domEventHandlers({
          drop(event) {
            const files = event.dataTransfer?.files;
            if (!files || files.length === 0) return false;
            event.preventDefault();
            onFiles(files);
            return true;
          },
        }),
      ],
    }),
  });

  /**
   * The document offset of a 1-based line and column (column counted in Unicode characters).
   * @param {EditorState} state
   * @param {number | null | undefined} line
   * @param {number | null | undefined} column
   */
  function offset(state, line, column) {
    if (!line || line < 1) return 0;
    if (line > state.doc.lines) return state.doc.length;
    const l = state.doc.line(line);
    let pos = l.from;
    let chars = 1;
    for (const ch of l.text) {
      if (chars >= (column || 1)) break;
      pos += ch.length;
      chars += 1;
    }
    return Math.min(pos, l.to);
  }

  /**
   * The span to mark for a diagnostic at `pos`: the JSON token there, else the rest of the line.
   * @param {EditorState} state
   * @param {number} pos
   * @returns {{from: number, to: number}}
   */
  function span(state, pos) {
    const line = state.doc.lineAt(pos);
    let node = syntaxTree(state).resolveInner(pos, 1);
    while (node && node.to - node.from > 200 && node.parent) node = node.parent;
    const leaf = node && node.from === pos && !node.firstChild && node.to > pos && node.to <= line.to;
    if (leaf) return { from: pos, to: node.to };
    // A property name: mark the whole `"key": value` when it fits on the line.
    if (node && node.name === 'PropertyName' && node.parent && node.parent.to <= line.to) {
      return { from: pos, to: node.parent.to };
    }
    const to = pos < line.to ? line.to : Math.min(pos + 1, state.doc.length);
    return { from: Math.min(pos, to), to };
  }

  return {
    view,
    text: () => view.state.doc.toString(),
    /**
     * Replaces the whole text (one undoable change).
     * @param {string} text
     */
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 } });
    },
    /**
     * Marks every diagnostic in the text.
     * @param {Array<import('voicehook').Finding & {severity: 'error' | 'warning'}>} items
     */
    mark(items) {
      const state = view.state;
      const diagnostics = [];
      for (const d of items) {
        if (!d.line) continue;
        const { from, to } = span(state, offset(state, d.line, d.column));
        diagnostics.push({ from, to, severity: d.severity, message: d.message, source: d.rule });
      }
      view.dispatch(setDiagnostics(state, diagnostics));
    },
    /**
     * Moves the cursor to line:column, highlights the span there and focuses the editor.
     * @param {number} line
     * @param {number | null | undefined} column
     */
    goTo(line, column) {
      const state = view.state;
      const pos = offset(state, line, column);
      const s = span(state, pos);
      view.dispatch({
        selection: { anchor: pos },
        effects: [setFocusSpan.of(s), EditorView.scrollIntoView(pos, { y: 'center' })],
      });
      view.focus();
    },
  };
}
