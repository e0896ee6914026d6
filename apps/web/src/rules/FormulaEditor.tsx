import { CheckCircleFilled } from '@ant-design/icons';
import { setDiagnostics } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import type { FormulaLocale } from '@crm/rules';
import { Alert, Flex, Input, Tag, Typography } from 'antd';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { analyzeFormula, formatPreview, formulaWithLabels, previewFormula, type FormulaEditorField, type FormulaProblem } from './formula-analysis';
import { createFormulaState, diagnosticsOf, formulaExtensions, type FormulaEditorContext } from './formula-codemirror';

/** Props of the formula editor (docs/admin-guide.md, "Formulas"). */
export interface FormulaEditorProps {
  /** The formula text as the admin writes it: `IF({金额} > 1000, "大客户", "普通")`. */
  value: string;
  onChange: (text: string) => void;
  /** The fields the formula may read (for a subform row formula: the row's columns). */
  fields: readonly FormulaEditorField[];
  /** A server problem about the formula (FORMULA_* with `position` in its details), underlined like the live check's. */
  problem?: { code?: string; message: string; position?: { offset: number; length: number } } | null;
  /** Show sample inputs and the result (default true). */
  preview?: boolean;
  /** Called with the live check: the result type, or null while the formula is wrong or empty. */
  onCheck?: (result: { type: string } | null) => void;
  id?: string;
  'aria-label'?: string;
  placeholder?: string;
}

/**
 * CodeMirror 6 editor for formulas: completion of fields by label and of functions with their
 * signature and help; the same parse and type check as the server on every change, with the
 * error's range underlined and its text below; a preview on sample values.
 */
export function FormulaEditor(props: FormulaEditorProps) {
  const { t, i18n } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const generatedId = useId();
  const id = props.id ?? `formula-${generatedId}`;
  const messageId = `${id}-message`;
  // A stored formula (field keys) is shown with labels; what the admin types is passed on as typed.
  const shown = (value: string) => formulaWithLabels({ text: value, fields: props.fields });
  const [text, setText] = useState(() => shown(props.value));
  const analysis = useMemo(() => (text.trim() ? analyzeFormula({ text, fields: props.fields }) : null), [text, props.fields]);
  const serverProblem: FormulaProblem | null = props.problem
    ? {
        code: props.problem.code ?? 'SERVER',
        message: props.problem.message,
        from: props.problem.position?.offset ?? 0,
        to: props.problem.position ? props.problem.position.offset + props.problem.position.length : text.length,
      }
    : null;
  const zh = i18n.language === 'zh-CN';
  // The rules package words its errors in English; zh-CN shows the code's text and where it is.
  const localize = (p: FormulaProblem): FormulaProblem => {
    if (!zh || !i18n.exists(`rules.formulaErrors.${p.code}`)) return p;
    const before = text.slice(0, p.from).split('\n');
    const at = t('rules.formula.at', { line: before.length, column: before[before.length - 1]!.length + 1 });
    return { ...p, message: `${t(`rules.formulaErrors.${p.code}`)}（${at}）` };
  };
  const problems = [...(analysis && !analysis.ok ? [analysis.problem] : []), ...(serverProblem ? [serverProblem] : [])].map(localize);

  const context = useRef<FormulaEditorContext>({ fields: props.fields, locale: 'en', fieldTypeLabel: (x) => x });
  context.current = {
    fields: props.fields,
    locale: (i18n.language === 'zh-CN' ? 'zh-CN' : 'en') satisfies FormulaLocale,
    fieldTypeLabel: (type) => t(`fieldTypes.${type}`),
  };
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const external = useRef(false);

  useEffect(() => {
    const setup = formulaExtensions({
      context: () => context.current,
      onChange: (next) => {
        setText(next);
        if (!external.current) onChange.current(next);
      },
      placeholder: props.placeholder ?? t('rules.formula.placeholder'),
      attributes: { 'aria-label': props['aria-label'] ?? t('rules.formula.label'), 'aria-describedby': messageId, id, 'aria-multiline': 'true' },
    });
    const editor = new EditorView({ state: createFormulaState(text, setup.extensions), parent: host.current! });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is built once; value, fields and language reach it through refs and the effects below.
  }, []);

  // A value from outside (undo in the designer, another field selected, a reload after publish):
  // shown, not sent back as an edit.
  useEffect(() => {
    const editor = view.current;
    const doc = editor?.state.doc.toString();
    if (!editor || doc === props.value) return;
    const next = shown(props.value);
    if (doc === next) return;
    external.current = true;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: next } });
    external.current = false;
    // `shown` reads the fields of this render; only a new value is reshown.
  }, [props.value]);

  const diagnosticsKey = JSON.stringify(problems);
  useEffect(() => {
    const editor = view.current;
    if (editor) editor.dispatch(setDiagnostics(editor.state, diagnosticsOf(problems, editor.state.doc.length)));
    // problems is derived from diagnosticsKey
  }, [diagnosticsKey]);

  const onCheck = props.onCheck;
  const checkedType = analysis?.ok ? analysis.type : null;
  useEffect(() => onCheck?.(checkedType ? { type: checkedType } : null), [checkedType, onCheck]);

  return (
    <div>
      <div ref={host} data-testid="formula-editor" />
      <div id={messageId} data-testid="formula-message" aria-live="polite" style={{ marginTop: 4, minHeight: 22 }}>
        {problems.length > 0 ? (
          problems.map((p, i) => (
            <Typography.Text key={i} type="danger" style={{ display: 'block' }}>
              {p.message}
            </Typography.Text>
          ))
        ) : analysis?.ok ? (
          <Typography.Text>
            <CheckCircleFilled aria-hidden style={{ color: 'var(--ant-color-success, #389e0d)', marginInlineEnd: 6 }} />
            {t('rules.formula.valid', { type: t(`rules.formulaTypes.${typeName(analysis.type)}`) })}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('rules.formula.hint')}</Typography.Text>
        )}
      </div>
      {props.preview !== false && analysis?.ok && <FormulaPreview ast={analysis.ast} dependencies={analysis.dependencies} fields={props.fields} />}
    </div>
  );
}

const KNOWN_TYPES = new Set(['number', 'text', 'boolean', 'date', 'datetime', 'blank', 'any']);
const typeName = (type: string) => (KNOWN_TYPES.has(type) ? type : type.endsWith('-list') ? 'list' : 'any');

function FormulaPreview({ ast, dependencies, fields }: { ast: unknown; dependencies: string[]; fields: readonly FormulaEditorField[] }) {
  const { t } = useTranslation();
  const [samples, setSamples] = useState<Record<string, string>>({});
  const result = useMemo(() => previewFormula({ ast, fields, samples }), [ast, fields, samples]);
  const labelOf = (path: string) => {
    const [key, column] = path.split('.');
    const field = fields.find((f) => f.key === key);
    if (!column) return field?.label ?? path;
    const child = (field?.settings?.fields as FormulaEditorField[] | undefined)?.find((c) => c.key === column);
    return `${field?.label ?? key}.${child?.label ?? column}`;
  };
  return (
    <section aria-label={t('rules.formula.preview')} style={{ marginTop: 8 }}>
      <Typography.Text strong>{t('rules.formula.preview')}</Typography.Text>
      <Flex gap={8} wrap style={{ marginBlock: 8 }}>
        {dependencies.map((path) => (
          <Input
            key={path}
            aria-label={t('rules.formula.sampleOf', { field: labelOf(path) })}
            addonBefore={labelOf(path)}
            placeholder={path.includes('.') ? t('rules.formula.sampleList') : t('rules.formula.sample')}
            value={samples[path] ?? ''}
            onChange={(e) => setSamples((s) => ({ ...s, [path]: e.target.value }))}
            style={{ width: 240 }}
          />
        ))}
      </Flex>
      {result.ok ? (
        <Flex gap={8} align="center" role="status" aria-label={t('rules.formula.result')}>
          <Typography.Text>{t('rules.formula.result')}</Typography.Text>
          <Tag data-testid="formula-result">{formatPreview(result.value) || t('rules.formula.blank')}</Tag>
        </Flex>
      ) : (
        <Alert type="warning" showIcon role="status" title={t('rules.formula.runtimeError', { message: result.message })} />
      )}
    </section>
  );
}
