// @ts-check
// The payload editor: CodeMirror 6 with line numbers, JSON highlighting, folding, search, and the
// report's diagnostics marked in place. It knows nothing about 8x8 documents: it is handed
// diagnostics (line, column, message) and turns them into marked spans, and it is handed the JSON
// Schema of the kind being checked, from which codemirror-json-schema completes property names
// and enum values and shows a field's description on hover. Diagnostics come only from
// voicehook's report: the extension's own linter is not used.
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  hoverTooltip,
  keymap,
  lineNumbers,
  placeholder,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  HighlightStyle,
  bracketMatching,
  codeFolding,
  foldGutter,
  foldKeymap,
  syntaxHighlighting,
  syntaxTree,
} from '@codemirror/language';
import { json, jsonLanguage } from '@codemirror/lang-json';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { jsonCompletion, jsonSchemaHover, stateExtensions, updateSchema } from 'codemirror-json-schema';
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
  '.cm-tooltip.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--mono)', maxHeight: '14em' },
  '.cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--bg-selection)', color: 'var(--fg)' },
  '.cm-completionInfo': { maxWidth: '28em', padding: '4px 8px' },
  '.cm-completionDetail': { color: 'var(--muted)', marginLeft: '0.5em', fontStyle: 'normal' },
  '.cm6-json-schema-hover': { maxWidth: '32em', padding: '6px 10px', fontSize: '13px', lineHeight: '1.45' },
  '.cm6-json-schema-hover--code-wrapper': { marginBottom: '4px' },
  '.cm6-json-schema-hover p': { margin: '0 0 4px' },
  '.cm6-json-schema-hover code': { fontFamily: 'var(--mono)' },
  '.cm-panels': { backgroundColor: 'var(--bg-gutter)', color: 'var(--fg)' },
  '.cm-panels-top': { borderBottom: '1px solid var(--line)' },
  '.cm-search input, .cm-search button': { font: 'inherit', color: 'inherit' },
  '.cm-searchMatch': { backgroundColor: 'var(--bg-focus-span)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--bg-active)', border: '1px solid var(--line)', color: 'var(--muted)' },
  '.cm-placeholder': { color: 'var(--muted)' },
});

/**
 * The text re-indented (`indent` spaces) or, with `indent` 0, with every space between tokens
 * removed. Tokens are copied as written: strings keep their escapes and numbers their digits
 * (a parse and stringify would round 12345678901234567890 and drop a duplicate key). Returns
 * null when the text is not JSON (unbalanced brackets, an unterminated string, a comment).
 * @param {string} text
 * @param {number} indent
 * @returns {string | null}
 */
export function reformat(text, indent) {
  let out = '';
  let depth = 0;
  const pad = (/** @type {number} */ d) => (indent ? `\n${' '.repeat(indent * d)}` : '');
  /** @type {string[]} */
  const open = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return null;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '{' || c === '[') {
      // an empty object or array stays on one line
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] === (c === '{' ? '}' : ']')) {
        out += c + text[j];
        i = j;
        continue;
      }
      open.push(c);
      depth += 1;
      out += c + pad(depth);
    } else if (c === '}' || c === ']') {
      if (open.pop() !== (c === '}' ? '{' : '[')) return null;
      depth -= 1;
      out += pad(depth) + c;
    } else if (c === ',') {
      out += c + pad(depth);
    } else if (c === ':') {
      out += indent ? ': ' : ':';
    } else if (/[-+.0-9A-Za-z]/.test(c)) {
      out += c; // numbers, true, false, null
    } else if (!/\s/.test(c)) {
      return null; // a comment, a quote of another kind: not JSON, repair it first
    }
  }
  return open.length === 0 ? out : null;
}

/** A document longer than this gets completion only when it is asked for. */
const LARGE = 64 * 1024;

/**
 * codemirror-json-schema's completion source. Without a schema it answers `[]`, which is not a
 * completion result (the autocomplete extension then throws "options is not iterable"): that
 * answer becomes null, "nothing to offer".
 */
function schemaCompletion() {
  const complete = jsonCompletion();
  return (/** @type {import('@codemirror/autocomplete').CompletionContext} */ ctx) => {
    // It reads the whole document on every call: on a large one, only when asked (Ctrl+Space),
    // so typing stays under a frame.
    if (!ctx.explicit && ctx.state.doc.length > LARGE) return null;
    const result = complete(ctx);
    return Array.isArray(result) ? null : result;
  };
}

/** The fold gutter's marker: a chevron, named for screen readers by its title. */
/** @param {boolean} open */
function foldMarker(open) {
  const span = document.createElement('span');
  span.className = 'cm-vh-fold';
  span.textContent = open ? '⌄' : '›';
  span.title = open ? 'Fold' : 'Unfold';
  return span;
}

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
 * @param {{onChange: () => void, onFiles: (files: FileList) => void, attrs: Record<string, string>, placeholderText: string}} options
 */
export function createEditor(parent, { onChange, onFiles, attrs, placeholderText }) {
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
        foldGutter({ markerDOM: foldMarker }),
        codeFolding(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        lintGutter(),
        history(),
        drawSelection(),
        bracketMatching(),
        closeBrackets(),
        json(),
        syntaxHighlighting(highlight),
        // Completion and hover read the schema of the kind being checked (setSchema).
        stateExtensions(undefined),
        jsonLanguage.data.of({ autocomplete: schemaCompletion() }),
        autocompletion({ icons: false }),
        // The hover resolves a field by its place in the schema alone: given the parsed document
        // too, json-schema-library (a draft-04 reader) finds no schema for fields of a valid VSS.
        hoverTooltip(jsonSchemaHover({ parser: () => undefined }), { hoverTime: 300 }),
        search({ top: true }),
        highlightSelectionMatches(),
        placeholder(placeholderText),
        keymap.of([
          ...closeBracketsKeymap,
          ...completionKeymap,
          ...searchKeymap,
          ...foldKeymap,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
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
          // Typing over a selection: Chromium would wrap the new text in a <span style="color:
          // ...">, copying the old text's color, which the page's CSP refuses (a console error);
          // the replacement is made as a transaction instead, as CodeMirror makes a paste.
          beforeinput(event, v) {
            if (event.inputType !== 'insertText' || event.data == null || v.composing || v.state.selection.main.empty) return false;
            event.preventDefault();
            // more than a key's worth (dictation, a test's fill) is inserted as a paste is: it
            // does not open the completion list
            const userEvent = event.data.length > 2 ? 'input.paste' : 'input.type';
            v.dispatch(v.state.update(v.state.replaceSelection(event.data), { userEvent, scrollIntoView: true }));
            return true;
          },
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

  /** The schema completion and hover read now (the same object is not set twice). */
  /** @type {object | undefined} */
  let schemaNow;

  return {
    view,
    text: () => view.state.doc.toString(),
    /**
     * The JSON Schema completion and hover follow (undefined: none).
     * @param {object | undefined} schema
     */
    setSchema(schema) {
      if (schema === schemaNow) return;
      schemaNow = schema;
      updateSchema(view, /** @type {any} */ (schema));
      view.dom.dataset.schema = schema ? String(/** @type {any} */ (schema).title ?? 'yes') : '';
    },
    /**
     * Re-indents (2 spaces) or minifies the whole text, as one undoable change. False when the
     * text is not one JSON value.
     * @param {'format' | 'minify'} how
     */
    reformat(how) {
      const text = view.state.doc.toString();
      const out = reformat(text, how === 'format' ? 2 : 0);
      if (out === null) return false;
      if (out !== text) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: out } });
      return true;
    },
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
