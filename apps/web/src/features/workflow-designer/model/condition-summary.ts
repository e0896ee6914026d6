import type { TFunction } from 'i18next';

const OPS = new Set(['==', '!=', '>', '>=', '<', '<=', '===', '!==']);

/** A short text for a connection's condition: `amount > 10000` for a plain comparison, else a generic mark. */
export function conditionSummary(condition: unknown, t: TFunction): string {
  if (condition === null || condition === undefined) return t('workflows.branch.noCondition');
  if (typeof condition === 'object' && !Array.isArray(condition)) {
    const entries = Object.entries(condition as Record<string, unknown>);
    if (entries.length === 1) {
      const [op, args] = entries[0];
      if (OPS.has(op) && Array.isArray(args) && args.length === 2) {
        const [left, right] = args as [unknown, unknown];
        const field = left && typeof left === 'object' && typeof (left as { var?: unknown }).var === 'string' ? (left as { var: string }).var : undefined;
        if (field && (typeof right === 'number' || typeof right === 'string' || typeof right === 'boolean')) return `${field} ${op} ${JSON.stringify(right)}`;
      }
    }
  }
  return t('workflows.branch.hasCondition');
}
