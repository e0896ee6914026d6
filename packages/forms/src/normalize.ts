import { assertConditionSafeOrThrow, type ResolveField, RulesError } from '@crm/rules';
import { createAjv, type FieldDefinition, fieldPropertySchema, type Issue, issuesFromAjvErrors, pointerSegment } from '@crm/schema';
import { conditionIssues, formTokenKeys, issueFromRulesError, substituteFormTokens } from './conditions';
import { FormsError, FormsErrorCode } from './errors';
import { Checker, isPlainObject } from './normalize-checker';
import { findCycle } from './cycles';
import { formulaSupport } from './formula';
import { FORM_LIMITS } from './limits';
import {
  DEFAULT_HIDDEN_FIELD_POLICY,
  type DefaultValue,
  FIELD_WIDTHS,
  type FormDefinition,
  type FormFieldConfig,
  HIDDEN_FIELD_POLICIES,
  type HiddenFieldPolicy,
  type LayoutNode,
  type LocalizedText,
  type SubmitValidation,
} from './types';
import { isScalarKind, resolveFieldOf, SAMPLE_VALUES, typeOf } from './vocabulary';

export interface NormalizeFormInput {
  /** The definition as sent by an admin (untrusted JSON). */
  form: unknown;
  /** The entity's active fields. */
  fields: readonly FieldDefinition[];
  /** Fields of another entity of the workspace, for data linkage; undefined when there is no such entity. */
  targetFields?: (entityId: string) => readonly FieldDefinition[] | undefined;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const FORM_KEYS = ['layout', 'fields', 'validations', 'submitHint', 'hiddenFieldPolicy'];
const FIELD_CONFIG_KEYS = ['help', 'placeholder', 'default', 'visibleWhen', 'readOnly', 'requiredWhen'];
const VALIDATION_KEYS = ['id', 'condition', 'formula', 'message', 'field'];

let ajv: ReturnType<typeof createAjv> | undefined;

/**
 * Checks a form definition against its entity and returns it normalized (unknown properties,
 * fields and rules refused; the hidden-field policy filled in). Every problem is reported with
 * its path: unknown fields in layout or rules, rules outside the condition subset, paths through
 * `__proto__`/`constructor`/`prototype`, rules or forms over the size caps, formulas that do not
 * parse, defaults that do not fit their field, linkage to unknown entities or fields.
 * Throws FormsError INVALID_FORM.
 */
export function normalizeFormOrThrow(input: NormalizeFormInput): FormDefinition {
  const ck = new Checker();
  const form = input.form;
  let size = Infinity;
  try {
    size = JSON.stringify(form ?? null).length;
  } catch {
    /* cyclic or too deep to serialise: refused below */
  }
  if (size > FORM_LIMITS.maxJsonLength) ck.add('', 'too_large', `A form definition may have at most ${FORM_LIMITS.maxJsonLength} characters of JSON`);
  else if (!isPlainObject(form)) ck.add('', 'invalid_type', 'A form definition must be a JSON object');
  if (ck.issues.length) throw fail(ck.issues);
  const f = form as Record<string, unknown>;
  ck.onlyKeys(f, FORM_KEYS, '');

  const fields = input.fields;
  const byKey = new Map(fields.map((x) => [x.key, x]));
  const resolveField = resolveFieldOf(fields);
  const ctx: Ctx = { ck, byKey, resolveField, fields, targetFields: input.targetFields ?? (() => undefined), ids: new Set(), placed: new Set(), nodes: 0 };

  const layout = Array.isArray(f.layout)
    ? checkLayout(ctx, f.layout, '/layout', 1)
    : (f.layout !== undefined && ck.add('/layout', 'invalid_type', 'layout must be a list'), []);
  const configs: Record<string, FormFieldConfig> = {};
  if (f.fields !== undefined && !isPlainObject(f.fields)) ck.add('/fields', 'invalid_type', 'fields must be an object keyed by field key');
  else if (f.fields) {
    for (const [key, raw] of Object.entries(f.fields)) {
      const path = `/fields/${pointerSegment(key)}`;
      const field = byKey.get(key);
      if (!field) {
        ck.add(path, 'unknown_field', `"${key.slice(0, 64)}" is not a field of this entity`);
        continue;
      }
      const config = checkFieldConfig(ctx, field, raw, path);
      if (config && Object.keys(config).length) configs[key] = config;
    }
  }
  const validations = checkValidations(ctx, f.validations);
  const submitHint = f.submitHint === undefined ? undefined : checkText(ck, f.submitHint, '/submitHint');
  let policy: HiddenFieldPolicy = DEFAULT_HIDDEN_FIELD_POLICY;
  if (f.hiddenFieldPolicy !== undefined) {
    if ((HIDDEN_FIELD_POLICIES as readonly unknown[]).includes(f.hiddenFieldPolicy)) policy = f.hiddenFieldPolicy as HiddenFieldPolicy;
    else ck.add('/hiddenFieldPolicy', 'invalid_option', `hiddenFieldPolicy must be one of ${HIDDEN_FIELD_POLICIES.join(', ')}`);
  }
  checkFormulaCycles(ctx);
  if (ck.issues.length) throw fail(ck.issues);
  return { layout, fields: configs, validations, ...(submitHint !== undefined ? { submitHint } : {}), hiddenFieldPolicy: policy };
}

interface Ctx {
  ck: Checker;
  byKey: Map<string, FieldDefinition>;
  resolveField: ResolveField;
  fields: readonly FieldDefinition[];
  targetFields: (entityId: string) => readonly FieldDefinition[] | undefined;
  ids: Set<string>;
  placed: Set<string>;
  nodes: number;
  /** Formula dependencies of formula defaults, for the cycle check. */
  formulaDeps?: Map<string, string[]>;
}

function fail(issues: Issue[]): FormsError {
  const paths = [...new Set(issues.map((i) => i.path || '/'))].slice(0, 10);
  return new FormsError({ code: FormsErrorCode.INVALID_FORM, message: `The form definition has ${issues.length} problem(s): ${paths.join(', ')}`, issues });
}

function checkId(ctx: Ctx, id: unknown, path: string): string {
  if (typeof id !== 'string' || !ID.test(id)) {
    ctx.ck.add(path, 'invalid_id', `an id of 1–${FORM_LIMITS.maxIdLength} letters, digits, _ or - is required`);
    return '';
  }
  if (ctx.ids.has(id)) ctx.ck.add(path, 'duplicate_id', `the id "${id}" is used twice`);
  ctx.ids.add(id);
  return id;
}

/** Admin text: a string, or { en, zh-CN } strings; at most maxTextLength characters each. */
function checkText(ck: Checker, raw: unknown, path: string, opts: { required?: boolean } = {}): LocalizedText | undefined {
  const tooLong = (s: string) => s.length > FORM_LIMITS.maxTextLength;
  if (typeof raw === 'string') {
    if (tooLong(raw)) ck.add(path, 'too_long', `at most ${FORM_LIMITS.maxTextLength} characters`);
    else if (opts.required && !raw.trim()) ck.add(path, 'required', 'must not be empty');
    return raw;
  }
  if (isPlainObject(raw)) {
    ck.onlyKeys(raw, ['en', 'zh-CN'], path);
    const out: Record<string, string> = {};
    for (const lang of ['en', 'zh-CN'] as const) {
      const v = raw[lang];
      if (v === undefined) continue;
      if (typeof v !== 'string') ck.add(`${path}/${lang}`, 'invalid_type', 'must be text');
      else if (tooLong(v)) ck.add(`${path}/${lang}`, 'too_long', `at most ${FORM_LIMITS.maxTextLength} characters`);
      else out[lang] = v;
    }
    if (opts.required && !Object.values(out).some((s) => s.trim())) ck.add(path, 'required', 'give the text in English, Chinese or both');
    return out;
  }
  ck.add(path, 'invalid_type', 'must be text or { "en": …, "zh-CN": … }');
  return undefined;
}

function checkCondition(ctx: Ctx, condition: unknown, path: string): boolean {
  const found = conditionIssues({ condition, path, resolveField: ctx.resolveField });
  for (const i of found) ctx.ck.push(i);
  return !found.length;
}

function checkLayout(ctx: Ctx, nodes: unknown[], path: string, depth: number): LayoutNode[] {
  const { ck } = ctx;
  if (depth > FORM_LIMITS.maxLayoutDepth) {
    ck.add(path, 'too_deep', `sections and tabs may be nested at most ${FORM_LIMITS.maxLayoutDepth} levels deep`);
    return [];
  }
  const out: LayoutNode[] = [];
  nodes.forEach((raw, i) => {
    const at = `${path}/${i}`;
    if (++ctx.nodes > FORM_LIMITS.maxLayoutNodes) {
      if (ctx.nodes === FORM_LIMITS.maxLayoutNodes + 1) ck.add(at, 'too_large', `a layout may have at most ${FORM_LIMITS.maxLayoutNodes} parts`);
      return;
    }
    if (!isPlainObject(raw)) return ck.add(at, 'invalid_type', 'a layout part must be an object');
    switch (raw.type) {
      case 'field': {
        ck.onlyKeys(raw, ['type', 'key', 'width'], at);
        const key = raw.key;
        if (typeof key !== 'string' || !ctx.byKey.has(key))
          return ck.add(`${at}/key`, 'unknown_field', `${JSON.stringify(String(key).slice(0, 64))} is not a field of this entity`);
        if (ctx.placed.has(key)) return ck.add(`${at}/key`, 'duplicate_field', `the field "${key}" is placed twice`);
        ctx.placed.add(key);
        if (raw.width !== undefined && !(FIELD_WIDTHS as readonly unknown[]).includes(raw.width))
          ck.add(`${at}/width`, 'invalid_option', `width must be one of ${FIELD_WIDTHS.join(', ')}`);
        return out.push({ type: 'field', key, ...(raw.width !== undefined ? { width: raw.width as never } : {}) });
      }
      case 'divider': {
        ck.onlyKeys(raw, ['type', 'id', 'title'], at);
        const title = raw.title === undefined ? undefined : checkText(ck, raw.title, `${at}/title`);
        return out.push({ type: 'divider', id: checkId(ctx, raw.id, `${at}/id`), ...(title !== undefined ? { title } : {}) });
      }
      case 'description': {
        ck.onlyKeys(raw, ['type', 'id', 'text'], at);
        return out.push({ type: 'description', id: checkId(ctx, raw.id, `${at}/id`), text: checkText(ck, raw.text, `${at}/text`, { required: true }) ?? '' });
      }
      case 'section': {
        ck.onlyKeys(raw, ['type', 'id', 'title', 'columns', 'collapsible', 'visibleWhen', 'children'], at);
        const id = checkId(ctx, raw.id, `${at}/id`);
        const title = raw.title === undefined ? undefined : checkText(ck, raw.title, `${at}/title`);
        if (raw.columns !== undefined && !(Number.isInteger(raw.columns) && (raw.columns as number) >= 1 && (raw.columns as number) <= 4))
          ck.add(`${at}/columns`, 'invalid_value', 'columns must be a whole number from 1 to 4');
        if (raw.collapsible !== undefined && typeof raw.collapsible !== 'boolean') ck.add(`${at}/collapsible`, 'invalid_type', 'must be true or false');
        if (raw.visibleWhen !== undefined) checkCondition(ctx, raw.visibleWhen, `${at}/visibleWhen`);
        if (!Array.isArray(raw.children)) ck.add(`${at}/children`, 'invalid_type', 'children must be a list');
        const children = Array.isArray(raw.children) ? checkLayout(ctx, raw.children, `${at}/children`, depth + 1) : [];
        return out.push({
          type: 'section',
          id,
          ...(title !== undefined ? { title } : {}),
          ...(raw.columns !== undefined ? { columns: raw.columns as number } : {}),
          ...(raw.collapsible !== undefined ? { collapsible: raw.collapsible as boolean } : {}),
          ...(raw.visibleWhen !== undefined ? { visibleWhen: raw.visibleWhen } : {}),
          children,
        });
      }
      case 'tabs': {
        ck.onlyKeys(raw, ['type', 'id', 'tabs'], at);
        const id = checkId(ctx, raw.id, `${at}/id`);
        if (!Array.isArray(raw.tabs) || !raw.tabs.length || raw.tabs.length > 20)
          return ck.add(`${at}/tabs`, 'invalid_type', 'tabs must be a list of 1 to 20 tabs');
        const tabs = raw.tabs.map((t, j) => {
          const tp = `${at}/tabs/${j}`;
          if (!isPlainObject(t)) {
            ck.add(tp, 'invalid_type', 'a tab must be an object');
            return { id: '', title: '', children: [] };
          }
          ck.onlyKeys(t, ['id', 'title', 'visibleWhen', 'children'], tp);
          if (t.visibleWhen !== undefined) checkCondition(ctx, t.visibleWhen, `${tp}/visibleWhen`);
          if (!Array.isArray(t.children)) ck.add(`${tp}/children`, 'invalid_type', 'children must be a list');
          return {
            id: checkId(ctx, t.id, `${tp}/id`),
            title: checkText(ck, t.title, `${tp}/title`, { required: true }) ?? '',
            ...(t.visibleWhen !== undefined ? { visibleWhen: t.visibleWhen } : {}),
            children: Array.isArray(t.children) ? checkLayout(ctx, t.children, `${tp}/children`, depth + 1) : [],
          };
        });
        return out.push({ type: 'tabs', id, tabs });
      }
      default:
        return ck.add(`${at}/type`, 'invalid_option', 'type must be one of section, tabs, field, divider, description');
    }
  });
  return out;
}

function checkFieldConfig(ctx: Ctx, field: FieldDefinition, raw: unknown, path: string): FormFieldConfig | null {
  const { ck } = ctx;
  if (!isPlainObject(raw)) {
    ck.add(path, 'invalid_type', 'a field setting must be an object');
    return null;
  }
  ck.onlyKeys(raw, FIELD_CONFIG_KEYS, path);
  const out: FormFieldConfig = {};
  for (const k of ['help', 'placeholder'] as const) {
    if (raw[k] === undefined) continue;
    const t = checkText(ck, raw[k], `${path}/${k}`);
    if (t !== undefined) out[k] = t;
  }
  if (raw.readOnly !== undefined) {
    if (typeof raw.readOnly !== 'boolean') ck.add(`${path}/readOnly`, 'invalid_type', 'must be true or false');
    else if (raw.readOnly) out.readOnly = true;
  }
  for (const k of ['visibleWhen', 'requiredWhen'] as const) {
    if (raw[k] === undefined) continue;
    if (checkCondition(ctx, raw[k], `${path}/${k}`)) out[k] = raw[k];
  }
  if (raw.requiredWhen !== undefined && !typeOf(field).def.writable)
    ck.add(`${path}/requiredWhen`, 'not_writable', `${field.label} is computed by the server and cannot be required`);
  if (raw.default !== undefined) {
    const d = checkDefault(ctx, field, raw.default, `${path}/default`);
    if (d) out.default = d;
  }
  return out;
}

function checkDefault(ctx: Ctx, field: FieldDefinition, raw: unknown, path: string): DefaultValue | null {
  const { ck } = ctx;
  if (!isPlainObject(raw)) {
    ck.add(path, 'invalid_type', 'a default must be { "kind": "static" | "formula" | "linkage", … }');
    return null;
  }
  if (!typeOf(field).def.writable) {
    ck.add(path, 'not_writable', `${field.label} is computed by the server and takes no default`);
    return null;
  }
  switch (raw.kind) {
    case 'static': {
      ck.onlyKeys(raw, ['kind', 'value'], path);
      if (!('value' in raw)) return (ck.add(`${path}/value`, 'required', 'a static default needs a value'), null);
      ajv ??= createAjv();
      const validate = ajv.compile(fieldPropertySchema({ field: { ...field, required: false } }));
      if (!validate(raw.value)) {
        for (const i of issuesFromAjvErrors(validate.errors))
          ck.add(`${path}/value${i.path}`, i.code, `the default does not fit ${field.label}: ${i.message.replace(/^\(root\)\s*/, '')}`);
        return null;
      }
      return { kind: 'static', value: raw.value };
    }
    case 'formula': {
      ck.onlyKeys(raw, ['kind', 'formula'], path);
      const formula = checkFormula(ctx, raw.formula, `${path}/formula`);
      if (formula === null) return null;
      (ctx.formulaDeps ??= new Map()).set(field.key, formula.dependencies);
      return { kind: 'formula', formula: formula.text };
    }
    case 'linkage':
      return checkLinkage(ctx, field, raw, path);
    default:
      ck.add(`${path}/kind`, 'invalid_option', 'kind must be static, formula or linkage');
      return null;
  }
}

function checkFormula(ctx: Ctx, raw: unknown, path: string): { text: string; dependencies: string[] } | null {
  const { ck } = ctx;
  if (typeof raw !== 'string' || !raw.trim()) return (ck.add(path, 'invalid_type', 'a formula must be non-empty text'), null);
  if (raw.length > FORM_LIMITS.maxFormulaLength)
    return (ck.add(path, 'too_long', `a formula may have at most ${FORM_LIMITS.maxFormulaLength} characters`), null);
  const support = formulaSupport();
  if (!support) return (ck.add(path, 'formula_unavailable', 'formulas are not available in this version'), null);
  const res = support.check({ formula: raw, fields: ctx.fields });
  // The message names the line and column of the problem.
  if ('error' in res) return (ck.add(path, 'invalid_formula', res.error.message), null);
  return { text: res.text, dependencies: res.dependencies };
}

function checkLinkage(ctx: Ctx, field: FieldDefinition, raw: Record<string, unknown>, path: string): DefaultValue | null {
  const { ck } = ctx;
  ck.onlyKeys(raw, ['kind', 'entityId', 'condition', 'valueField'], path);
  const before = ck.issues.length;
  const target = typeof raw.entityId === 'string' ? ctx.targetFields(raw.entityId) : undefined;
  if (!target) return (ck.add(`${path}/entityId`, 'unknown_entity', 'entityId must name an entity of this workspace'), null);
  const targetByKey = new Map(target.map((t) => [t.key, t]));
  const valueField = typeof raw.valueField === 'string' ? targetByKey.get(raw.valueField) : undefined;
  if (!valueField) ck.add(`${path}/valueField`, 'unknown_field', 'valueField must name a field of the linked entity');
  else {
    const src = typeOf(valueField);
    const dst = typeOf(field);
    if (src.def.storage(src.settings).kind !== 'column')
      ck.add(`${path}/valueField`, 'invalid_value', `${valueField.label} is stored apart from the record and cannot be looked up`);
    else if (src.def.valueKind(src.settings) !== dst.def.valueKind(dst.settings)) {
      ck.add(`${path}/valueField`, 'type_mismatch', `${valueField.label} (${valueField.type}) does not give values of ${field.label} (${field.type})`);
    }
  }
  if (raw.condition === undefined) return (ck.add(`${path}/condition`, 'required', 'a linkage needs a condition'), null);
  try {
    assertConditionSafeOrThrow(raw.condition);
  } catch (err) {
    if (err instanceof RulesError) return (ck.push(issueFromRulesError(err, `${path}/condition`)), null);
    throw err;
  }
  const sample: Record<string, unknown> = {};
  for (const key of formTokenKeys(raw.condition)) {
    const source = ctx.byKey.get(key);
    const kind = source && (ctx.resolveField(key)?.valueKind ?? null);
    if (!source) ck.add(`${path}/condition`, 'unknown_field', `"$form.${key}" names no field of this form`);
    else if (!kind || !isScalarKind(kind)) ck.add(`${path}/condition`, 'invalid_value', `"$form.${key}" holds several values and cannot be compared`);
    else sample[key] = SAMPLE_VALUES[kind];
  }
  if (ck.issues.length > before) return null;
  const withSamples = substituteFormTokens({ condition: raw.condition, valueOf: (k) => sample[k] });
  const found = conditionIssues({ condition: withSamples, path: `${path}/condition`, resolveField: resolveFieldOf(target) });
  for (const i of found) ck.push(i);
  if (found.length || ck.issues.length > before) return null;
  return { kind: 'linkage', entityId: raw.entityId as string, condition: raw.condition, valueField: valueField!.key };
}

function checkValidations(ctx: Ctx, raw: unknown): SubmitValidation[] {
  const { ck } = ctx;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return (ck.add('/validations', 'invalid_type', 'validations must be a list'), []);
  if (raw.length > FORM_LIMITS.maxValidations) return (ck.add('/validations', 'too_large', `at most ${FORM_LIMITS.maxValidations} validations`), []);
  const out: SubmitValidation[] = [];
  raw.forEach((v, i) => {
    const at = `/validations/${i}`;
    if (!isPlainObject(v)) return ck.add(at, 'invalid_type', 'a validation must be an object');
    ck.onlyKeys(v, VALIDATION_KEYS, at);
    const id = checkId(ctx, v.id, `${at}/id`);
    const message = checkText(ck, v.message, `${at}/message`, { required: true });
    if (v.field !== undefined && (typeof v.field !== 'string' || !ctx.byKey.has(v.field)))
      ck.add(`${at}/field`, 'unknown_field', 'field must name a field of this entity');
    if ((v.condition === undefined) === (v.formula === undefined)) return ck.add(at, 'invalid_value', 'give exactly one of condition and formula');
    if (v.condition !== undefined && !checkCondition(ctx, v.condition, `${at}/condition`)) return;
    const formula = v.formula !== undefined ? checkFormula(ctx, v.formula, `${at}/formula`) : undefined;
    if (formula === null) return;
    out.push({
      id,
      ...(v.condition !== undefined ? { condition: v.condition } : { formula: formula!.text }),
      message: message ?? '',
      ...(typeof v.field === 'string' ? { field: v.field } : {}),
    });
  });
  return out;
}

/** A formula default that needs itself (A = B + 1, B = A * 2) is refused, naming the cycle. */
function checkFormulaCycles(ctx: Ctx): void {
  const deps = ctx.formulaDeps;
  if (!deps) return;
  const cycle = findCycle(deps);
  if (cycle) ctx.ck.add(`/fields/${cycle[0]}/default/formula`, 'formula_cycle', `formula defaults depend on each other in a cycle: ${cycle.join(' → ')}`);
}
