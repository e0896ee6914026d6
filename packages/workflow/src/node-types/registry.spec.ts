import { describe, expect, it } from 'vitest';
import { NODE_TYPE_KEYS, type WorkflowNode } from '../types';
import { NODE_TYPES, settingsIssues } from './registry';

describe('node type registry', () => {
  it('holds one definition per key, each naming its own key and designer panel', () => {
    expect(Object.keys(NODE_TYPES)).toEqual([...NODE_TYPE_KEYS]);
    for (const key of NODE_TYPE_KEYS) {
      expect(NODE_TYPES[key].key).toBe(key);
      expect(NODE_TYPES[key].designer.panel).toBe(key);
      expect(NODE_TYPES[key].label.en && NODE_TYPES[key].label['zh-CN']).toBeTruthy();
    }
  });

  it('defaults of the nodes a designer drops without references are valid settings', () => {
    for (const key of ['start', 'approval', 'fill', 'cc', 'branch', 'parallel', 'wait', 'end'] as const) {
      const node: WorkflowNode = { id: 'x', type: key, settings: NODE_TYPES[key].defaultSettings() as Record<string, unknown> };
      expect([key, settingsIssues(node).en]).toEqual([key, []]);
    }
  });

  it('refuses unknown settings, naming the path in both languages', () => {
    const issues = settingsIssues({ id: 'x', type: 'wait', settings: { mode: 'duration', duration: { amount: 0, unit: 'weeks' } } });
    expect(issues.en.length).toBeGreaterThan(0);
    expect(issues.zh.length).toBe(issues.en.length);
    const webhook = settingsIssues({ id: 'x', type: 'action', settings: { action: { kind: 'webhook', url: 'ftp://x', method: 'POST' }, onError: 'stop' } });
    expect(webhook.en.length).toBeGreaterThan(0);
  });
});
