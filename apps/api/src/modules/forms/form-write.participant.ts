import { applyHiddenFieldPolicy, evaluateFormRules, type LinkageRequest, resolveDefaults } from '@crm/forms';
import { copyRecord, getFieldTypeOrThrow, type Issue, issuesFromAjvErrors, sameJson } from '@crm/schema';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RecordWrite, Values, WriteBatch, WriteParticipant, WriteProbe } from '../records/write-batch';
import { RecordWritePipeline } from '../records/write-pipeline';
import { type CompiledForm, FormRuntime } from './form-runtime.service';

/** This participant's state of one write: the form, and per record what its stages decided. */
interface FormWrite {
  form: CompiledForm;
  now: Date;
  /** Linkage answers shared by the records of one bulk create. */
  memo: Map<string, unknown>;
  /** Per record: the values as the form sees them (update: the stored record with the changes), and the values the form set. */
  states: { merged: Values; setByForm: Values }[];
}

const KEY = Symbol('forms');
/** The published version answered by the probe (null: none). */
const PUBLISHED = Symbol('forms.published');

/**
 * The published form's part in record writes (docs/forms.md), over four stages: in `defaults`
 * the submitter's values of read-only fields are dropped (except an app admin's) and, on create,
 * defaults fill the fields left out (static, formula, data linkage: one query per linkage);
 * in `formRules` the hidden-field policy applies and what the form decided is written back;
 * in `validate` required fields (the entity's and required-when) and submit validations are
 * checked over the record as it will be (computed values included), and values the form set get
 * the field checks the submitter's got. Issues are localized (ctx.locale). Bulk edits write
 * plain values without the form, as before.
 */
@Injectable()
export class FormWriteParticipant implements WriteParticipant, OnModuleInit {
  readonly name = 'forms';

  constructor(
    private readonly runtime: FormRuntime,
    private readonly pipeline: RecordWritePipeline,
  ) {}

  onModuleInit(): void {
    this.pipeline.register(this);
  }

  private applies(w: WriteBatch): boolean {
    return w.kind === 'create' || (w.kind === 'update' && w.filter === undefined);
  }

  /** Which version is published, asked in the pipeline's probe statement (with the entity's version when that is checked too). */
  probe(w: WriteBatch): WriteProbe | null {
    if (!this.applies(w)) return null;
    return { sql: this.runtime.repo.publishedVersionProbe(w.c.meta.workspaceId, w.c.meta.id), take: (v) => w.scratch.set(PUBLISHED, v) };
  }

  async open(w: WriteBatch): Promise<void> {
    if (!this.applies(w)) return;
    const form = w.scratch.has(PUBLISHED) ? await this.runtime.publishedOf(w.c, w.scratch.get(PUBLISHED)) : await this.runtime.publishedOrNull(w.c);
    if (!form) return;
    w.formVersion = form.version;
    // With a published form, required fields are checked after its defaults, not by ajv.
    w.requiredLater = true;
    w.scratch.set(KEY, { form, now: new Date(), memo: new Map(), states: [] } satisfies FormWrite);
  }

  async defaults(w: WriteBatch): Promise<void> {
    const fw = w.scratch.get(KEY) as FormWrite | undefined;
    if (!fw) return;
    const def = fw.form.definition;
    const locale = w.ctx.locale ?? 'en';
    for (const r of w.records) {
      if (!w.acc.isAdmin) for (const k of fw.form.readOnlyKeys) delete r.values[k];
      // Create starts from the values themselves and copies only what defaults or the policy change
      // (copyRecord: wide records spread into new hidden classes at great cost); update overlays the stored record.
      let merged: Values = w.kind === 'update' ? Object.assign(copyRecord(r.current ?? {}), r.values) : r.values;
      const missing = w.kind === 'create' ? fw.form.defaultKeys.filter((k) => merged[k] === undefined) : [];
      if (missing.length) {
        const res = await resolveDefaults({
          form: def,
          values: merged,
          keys: missing,
          now: fw.now,
          fields: fw.form.fields,
          locale,
          lookup: this.lookup(w, fw),
        });
        merged = res.values;
        this.report(w, r, res.issues);
      }
      fw.states.push({ merged, setByForm: {} });
    }
  }

  async formRules(w: WriteBatch): Promise<void> {
    const fw = w.scratch.get(KEY) as FormWrite | undefined;
    if (!fw) return;
    const locale = w.ctx.locale ?? 'en';
    for (const [i, r] of w.records.entries()) {
      const st = fw.states[i];
      // `merged` is this write's own (a copy, or on create the values it changes anyway): cleared in place.
      const settled = await applyHiddenFieldPolicy({
        form: fw.form.definition,
        values: st.merged,
        now: fw.now,
        fields: fw.form.fields,
        locale,
        lookup: this.lookup(w, fw),
        inPlace: true,
      });
      st.merged = settled.values as Values;
      this.report(w, r, settled.issues);
      this.writeBack(w, r, st);
    }
  }

  /** Values the form decided go into the write; those it set (not the submitter) are remembered for their field checks. */
  private writeBack(w: WriteBatch, r: RecordWrite, st: { merged: Values; setByForm: Values }): void {
    if (st.merged === r.values) return;
    for (const f of w.c.meta.fields) {
      const k = f.key;
      if (!getFieldTypeOrThrow(f.type).writable) continue;
      if (st.merged[k] === undefined || (k in r.values && sameJson(r.values[k], st.merged[k]))) continue;
      if (w.kind === 'update' && !(k in r.values) && sameJson(r.current?.[k], st.merged[k])) continue;
      r.values[k] = st.merged[k];
      st.setByForm[k] = st.merged[k];
    }
  }

  validate(w: WriteBatch): void {
    const fw = w.scratch.get(KEY) as FormWrite | undefined;
    if (!fw) return;
    const locale = w.ctx.locale ?? 'en';
    const { c } = w;
    for (const [i, r] of w.records.entries()) {
      // Rules see the record as it will be, computed fields included (the compute stage ran).
      const seen = w.kind === 'create' ? r.values : Object.assign(copyRecord(r.current ?? {}), r.values);
      const issues: Issue[] = evaluateFormRules({ form: fw.form.definition, values: seen, now: fw.now, fields: fw.form.fields, locale }).issues;
      const setByForm = fw.states[i].setByForm;
      if (Object.keys(setByForm).length && !c.validateUpdate(setByForm)) {
        const labelOf = (p: string) => c.byKey.get(p.split('/')[1] ?? '')?.label;
        const found = issuesFromAjvErrors(c.validateUpdate.errors, { locale, ...(locale === 'zh-CN' ? { labelOf } : {}) });
        issues.push(...found.map((x) => ({ ...x, code: 'invalid_default' })));
      }
      this.report(w, r, issues);
    }
  }

  private lookup(w: WriteBatch, fw: FormWrite) {
    return (req: LinkageRequest) => this.runtime.lookup(w.ctx, w.c, req, fw.now, fw.memo);
  }

  private report(w: WriteBatch, r: RecordWrite, issues: Issue[]): void {
    for (const i of issues) w.issues.push(r.prefix ? { ...i, path: `${r.prefix}${i.path}` } : i);
  }
}
