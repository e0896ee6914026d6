import { autocompletion, closeBrackets, completionKeymap, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import type { Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExtension } from '@codemirror/view';
import { FORMULA_FUNCTIONS, type FormulaLocale } from '@crm/rules';
import { childFieldsOf, type FieldDefinition } from '@crm/schema';
import type { FormulaEditorField, FormulaProblem } from './formula-analysis';

/** What the CodeMirror extensions read at the moment they run; the React side keeps it current. */
export interface FormulaEditorContext {
  fields: readonly FormulaEditorField[];
  locale: FormulaLocale;
  fieldTypeLabel: (type: string) => string;
}

/** `{label}` completions after an opening brace (Chinese labels included), subform columns after `{Subform}.{`. */
function fieldCompletions(ctx: FormulaEditorContext, context: CompletionContext): CompletionResult | null {
  const brace = context.matchBefore(/\{[^{}]*$/);
  if (!brace) return null;
  const before = context.state.sliceDoc(Math.max(0, brace.from - 200), brace.from);
  const sub = /\{([^{}]+)\}\.$/.exec(before);
  let list: readonly FormulaEditorField[] = ctx.fields;
  if (sub) {
    const subform = ctx.fields.find((f) => f.label === sub[1] || f.key === sub[1]);
    list =
      subform?.type === 'subform' ? childFieldsOf({ required: false, unique: false, ...subform, settings: subform.settings ?? {} } as FieldDefinition) : [];
  }
  const closing = context.state.sliceDoc(context.pos, context.pos + 1) === '}';
  const options: Completion[] = list.map((f) => ({
    label: `{${f.label}}`,
    apply: `{${f.label}${closing ? '' : '}'}`,
    detail: ctx.fieldTypeLabel(f.type),
    type: 'variable',
    info: f.key,
  }));
  return { from: brace.from, to: closing ? context.pos : undefined, options, validFor: /^\{[^{}]*$/ };
}

/** Function names with their signature and help in the UI language; field keys too. */
function wordCompletions(ctx: FormulaEditorContext, context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/[A-Za-z_][A-Za-z0-9_.]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const functions: Completion[] = FORMULA_FUNCTIONS.map((fn) => ({
    label: fn.name,
    apply: `${fn.name}(`,
    detail: fn.signature[ctx.locale],
    info: fn.description[ctx.locale],
    type: 'function',
    boost: 1,
  }));
  const keys: Completion[] = ctx.fields.map((f) => ({ label: f.key, detail: f.label, type: 'variable' }));
  return { from: word.from, options: [...functions, ...keys], validFor: /^[A-Za-z_][A-Za-z0-9_.]*$/ };
}

/** The diagnostics CodeMirror underlines: each problem's range (at least one character when the text has one). */
export function diagnosticsOf(problems: readonly FormulaProblem[], length: number): Diagnostic[] {
  return problems.map((p) => {
    let from = Math.min(Math.max(0, p.from), length);
    let to = Math.min(Math.max(from, p.to), length);
    if (to === from && length > 0) {
      if (from === length) from = length - 1;
      to = from + 1;
    }
    return { from, to, severity: 'error', message: p.message, source: p.code };
  });
}

export interface FormulaEditorSetup {
  extensions: Extension[];
  /** Reconfigures the accessible name and description without rebuilding the editor. */
  attributes: Compartment;
}

/** The editor's extensions: history, keys, completion and one change listener; diagnostics are set from outside (setDiagnostics). */
export function formulaExtensions(args: {
  context: () => FormulaEditorContext;
  onChange: (text: string) => void;
  placeholder: string;
  attributes: Record<string, string>;
}): FormulaEditorSetup {
  const attributes = new Compartment();
  const extensions: Extension[] = [
    history(),
    closeBrackets(),
    keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
    autocompletion({
      override: [(c) => fieldCompletions(args.context(), c), (c) => wordCompletions(args.context(), c)],
      icons: false,
    }),
    placeholderExtension(args.placeholder),
    EditorView.lineWrapping,
    attributes.of(EditorView.contentAttributes.of(args.attributes)),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) args.onChange(update.state.doc.toString());
    }),
    EditorView.theme({
      '&': { border: '1px solid var(--ant-color-border, #d9d9d9)', borderRadius: '6px', background: 'var(--ant-color-bg-container, #fff)' },
      '&.cm-focused': { outline: '2px solid var(--ant-color-primary, #1677ff)', outlineOffset: '0' },
      '.cm-content': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '2.5em', padding: '6px 8px' },
      '.cm-placeholder': { color: 'var(--ant-color-text-tertiary, #6b6b6b)' },
    }),
  ];
  return { extensions, attributes };
}

export function createFormulaState(doc: string, extensions: Extension[]): EditorState {
  return EditorState.create({ doc, extensions });
}
