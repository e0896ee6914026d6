import { describe, expect, it } from 'vitest';
import { compileAccess, groupsForSubject, substituteVariables } from './compile';
import { normalizeGroupOrThrow } from './group-definition';
import type { PermissionGroup, Subject } from './types';

const FIELDS = ['name', 'amount', 'salary', 'notes'];
const subject: Subject = { userId: 'u1', departmentIds: ['d1'], roleIds: ['r1'], isAdmin: false };
const group = (input: Record<string, unknown>, id = 'g') =>
  normalizeGroupOrThrow({ input: input.preset ? input : { name: `Group ${id}`, ...input }, id, fieldKeys: FIELDS });

describe('groupsForSubject', () => {
  it('matches by member, department or role, and nothing else', () => {
    const groups: PermissionGroup[] = [
      group({ preset: 'view_all', members: ['u1'] }, 'a'),
      group({ preset: 'view_all', departments: ['d1'] }, 'b'),
      group({ preset: 'view_all', roles: ['r1'] }, 'c'),
      group({ preset: 'view_all', members: ['u2'], departments: ['d2'], roles: ['r2'] }, 'd'),
    ];
    expect(groupsForSubject({ groups, subject }).map((g) => g.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('compileAccess', () => {
  it('gives admins everything, unscoped', () => {
    const a = compileAccess({ groups: [], subject: { ...subject, isAdmin: true }, fieldKeys: FIELDS });
    expect(a.can('delete')).toBe(true);
    expect(a.scope('view')).toBe('all');
    expect(a.readable).toBe('all');
  });

  it('allows nothing without a group', () => {
    const a = compileAccess({ groups: [group({ preset: 'manage_all', members: ['other'] })], subject, fieldKeys: FIELDS });
    expect(a.can('view')).toBe(false);
    expect(a.scope('view')).toBeNull();
    expect([...(a.readable as Set<string>)]).toEqual([]);
  });

  it('submit only: create, no view', () => {
    const a = compileAccess({ groups: [group({ preset: 'submit_only', members: ['u1'] })], subject, fieldKeys: FIELDS });
    expect(a.can('create')).toBe(true);
    expect(a.can('view')).toBe(false);
    expect([...(a.writable('create') as Set<string>)]).toEqual(FIELDS);
  });

  it('unions scopes per action: own for edit, all for view', () => {
    const a = compileAccess({
      groups: [group({ preset: 'manage_own', members: ['u1'] }, 'a'), group({ preset: 'view_all', roles: ['r1'] }, 'b')],
      subject,
      fieldKeys: FIELDS,
    });
    expect(a.scope('view')).toBe('all');
    expect(a.scope('edit')).toEqual([{ kind: 'own' }]);
    expect(a.scope('bulk_edit')).toBeNull();
  });

  it('ORs distinct scope terms and drops duplicates', () => {
    const cond = { '==': [{ var: 'notes' }, 'x'] };
    const a = compileAccess({
      groups: [
        group({ actions: ['view'], rowScope: { kind: 'own' }, members: ['u1'] }, 'a'),
        group({ actions: ['view'], rowScope: { kind: 'department' }, departments: ['d1'] }, 'b'),
        group({ actions: ['view'], rowScope: { kind: 'own' }, roles: ['r1'] }, 'c'),
        group({ actions: ['view'], rowScope: { kind: 'condition', condition: cond }, roles: ['r1'] }, 'd'),
      ],
      subject,
      fieldKeys: FIELDS,
    });
    expect(a.scope('view')).toEqual([{ kind: 'own' }, { kind: 'department' }, { kind: 'condition', condition: cond }]);
  });

  it('field rules: union of visible over view groups, of editable over the action’s groups', () => {
    const a = compileAccess({
      groups: [
        group(
          {
            actions: ['view', 'edit'],
            rowScope: { kind: 'all' },
            members: ['u1'],
            fields: { salary: { visible: false }, notes: { visible: true, editable: false } },
          },
          'a',
        ),
        group({ actions: ['view'], rowScope: { kind: 'own' }, roles: ['r1'], fields: { salary: { visible: false } } }, 'b'),
      ],
      subject,
      fieldKeys: FIELDS,
    });
    expect([...(a.readable as Set<string>)].sort()).toEqual(['amount', 'name', 'notes']);
    expect([...(a.writable('edit') as Set<string>)].sort()).toEqual(['amount', 'name']);
    expect([...(a.writable('create') as Set<string>)]).toEqual([]);
  });

  it('a field hidden in one group but shown in another is readable (union)', () => {
    const a = compileAccess({
      groups: [group({ preset: 'view_all', members: ['u1'], fields: { salary: { visible: false } } }, 'a'), group({ preset: 'view_all', roles: ['r1'] }, 'b')],
      subject,
      fieldKeys: FIELDS,
    });
    expect((a.readable as Set<string>).has('salary')).toBe(true);
  });
});

describe('normalizeGroupOrThrow', () => {
  it('fills presets', () => {
    expect(group({ preset: 'manage_own' })).toMatchObject({
      name: 'Submit and manage own',
      actions: ['create', 'view', 'edit', 'delete', 'print'],
      rowScope: { kind: 'own' },
    });
  });

  it('names every problem', () => {
    try {
      normalizeGroupOrThrow({
        input: {
          name: '',
          actions: ['view', 'fly'],
          rowScope: { kind: 'everything' },
          fields: { nope: { visible: true }, salary: { visible: false, editable: true } },
          members: 'u1',
          extra: 1,
        },
        id: 'g',
        fieldKeys: FIELDS,
      });
      expect.unreachable();
    } catch (err) {
      const paths = (err as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['/actions/1', '/extra', '/fields/nope', '/fields/salary/editable', '/members', '/name', '/rowScope/kind'].sort());
    }
  });

  it('refuses unsafe conditions', () => {
    expect(() => group({ actions: ['view'], rowScope: { kind: 'condition', condition: { '==': [{ var: '__proto__' }, 1] } } })).toThrow(/rowScope|condition/i);
  });
});

describe('substituteVariables', () => {
  it('replaces tokens anywhere in the condition', () => {
    const out = substituteVariables({
      condition: { and: [{ '==': [{ var: 'rep' }, '$user'] }, { in: [{ var: 'dept' }, '$user_departments'] }, { '==': [{ var: 'day' }, '$today'] }] },
      values: { $user: 'u1', $user_departments: ['d1', 'd2'], $today: '2026-11-23', $now: '2026-11-23T00:00:00.000Z' },
    });
    expect(out).toEqual({ and: [{ '==': [{ var: 'rep' }, 'u1'] }, { in: [{ var: 'dept' }, ['d1', 'd2']] }, { '==': [{ var: 'day' }, '2026-11-23'] }] });
  });
});
