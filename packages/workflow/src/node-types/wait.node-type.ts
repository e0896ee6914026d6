import { durationMs, durationSchema, fieldKeySchema, type Duration } from '../settings';
import type { NodeTypeDefinition } from './definition';
import { leaveFirst } from './task-node';

export type WaitSettings =
  | { mode: 'duration'; duration: Duration }
  /** Until the date or datetime in a field, shifted by `offset` (`before: true` = earlier). */
  | { mode: 'untilField'; field: string; offset?: Duration & { before?: boolean } };

/**
 * 等待: holds the instance for a duration or until a date field (a date means its midnight UTC).
 * A blank or past date goes on at once.
 */
export const waitNodeType: NodeTypeDefinition<WaitSettings> = {
  key: 'wait',
  label: { en: 'Wait', 'zh-CN': '等待' },
  description: { en: 'Waits for a duration or until a date in a field', 'zh-CN': '等待一段时间或到某个日期字段的时间' },
  category: 'automatic',
  settingsSchema: {
    oneOf: [
      { type: 'object', properties: { mode: { const: 'duration' }, duration: durationSchema }, required: ['mode', 'duration'], additionalProperties: false },
      {
        type: 'object',
        properties: {
          mode: { const: 'untilField' },
          field: fieldKeySchema,
          offset: {
            type: 'object',
            properties: { ...durationSchema.properties, before: { type: 'boolean' } },
            required: ['amount', 'unit'],
            additionalProperties: false,
          },
        },
        required: ['mode', 'field'],
        additionalProperties: false,
      },
    ],
  },
  defaultSettings: () => ({ mode: 'duration', duration: { amount: 1, unit: 'days' } }),
  outgoing: { min: 1, max: 1 },
  loopProgress: () => true,
  fieldReferences: (s) => (s.mode === 'untilField' ? [{ path: '/field', field: s.field, types: ['date', 'datetime'] }] : []),
  enter: ({ run, token, settings }) => {
    const at = waitUntil(settings, run.now, run.context.record);
    if (at === null || at.getTime() <= run.now.getTime()) {
      run.log({ kind: 'skipped', nodeId: token.nodeId, detail: { reason: at === null ? 'blank_date' : 'past_date' } });
      return leaveFirst(run, token);
    }
    run.schedule({ token, kind: 'wait', at: at.toISOString() });
    return { kind: 'wait' };
  },
  resume: ({ run, token, signal }) => (signal.kind === 'timer' ? leaveFirst(run, token) : { kind: 'wait' }),
  designer: { panel: 'wait', icon: 'ClockCircleOutlined', color: '#faad14' },
};

/** The instant a wait node releases the token; null when its date field is blank or not a date. */
export function waitUntil(settings: WaitSettings, now: Date, record: Readonly<Record<string, unknown>>): Date | null {
  if (settings.mode === 'duration') return new Date(now.getTime() + durationMs(settings.duration));
  const raw = record[settings.field];
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(raw)) return null;
  const base = new Date(raw.length === 10 ? `${raw}T00:00:00.000Z` : raw);
  if (Number.isNaN(base.getTime())) return null;
  const shift = settings.offset ? durationMs(settings.offset) * (settings.offset.before ? -1 : 1) : 0;
  return new Date(base.getTime() + shift);
}
