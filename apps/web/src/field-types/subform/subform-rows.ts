import { buildComputedPlanOrThrow, type ComputedPlan, computeRowFormulas } from '@crm/rules';
import type { FieldDefinition } from '@crm/schema';

export type Row = Record<string, unknown>;

/** The plan of a subform's row formulas (the shared rules package, the same the server runs); null without any. */
export function rowPlanOf(field: FieldDefinition | undefined): ComputedPlan | null {
  if (!field) return null;
  try {
    const plan = buildComputedPlanOrThrow({ fields: [field] });
    return plan.rowSteps.length ? plan : null;
  } catch {
    // A formula the designer has not finished yet: the rows stay as typed, the server reports it.
    return null;
  }
}

/** The rows with their formula columns computed as the user types (new objects; the input is not changed). */
export function computeRows(args: { field: FieldDefinition; plan: ComputedPlan | null; rows: readonly Row[]; now?: Date }): Row[] {
  const rows = args.rows.map((r) => ({ ...r }));
  if (args.plan) computeRowFormulas({ plan: args.plan, values: { [args.field.key]: rows }, now: args.now ?? new Date() });
  return rows;
}

/** Children whose column gets a total: numbers, money and numeric formulas. */
export function totalledChildren(children: readonly FieldDefinition[]): FieldDefinition[] {
  return children.filter(
    (c) => c.type === 'number' || c.type === 'money' || (c.type === 'formula' && ((c.settings?.resultType as string | undefined) ?? 'number') === 'number'),
  );
}

/** Sums of the totalled columns (decimal strings count; empty cells are skipped), rounded to 10 places against float noise. */
export function columnTotals(args: { children: readonly FieldDefinition[]; rows: readonly Row[] }): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of totalledChildren(args.children)) {
    let sum = 0;
    for (const r of args.rows) {
      const v = r[c.key];
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isFinite(n)) sum += n;
    }
    out[c.key] = Math.round(sum * 1e10) / 1e10;
  }
  return out;
}

/** Row values with the computed columns left out: the server computes them again and refuses writes to them. */
export function withoutComputed(args: { children: readonly FieldDefinition[]; rows: readonly Row[] }): Row[] {
  const computed = new Set(args.children.filter((c) => c.type === 'formula').map((c) => c.key));
  return args.rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !computed.has(k))));
}
