import { Injectable } from '@nestjs/common';
import { nowStorage } from '../../common/ids';
import { InputChecker } from '../../common/input';
import type { RequestContext } from '../../common/request-context';
import { AccessService } from '../access/access.service';
import { AppsService } from '../apps/apps.service';
import { AuditService } from '../audit/audit.service';
import { EntitiesService } from './entities.service';

/** What can sit in an app's menu; dashboards join later. */
export type NavItemKind = 'entity';

export interface NavItem {
  kind: NavItemKind;
  id: string;
  /** In answers only: the entity's name now. */
  name?: string;
}

export interface NavGroup {
  /** Chosen by the client (stable across saves); unique within the app. */
  id: string;
  /** null: items shown at the top level, without a group heading. */
  name: string | null;
  items: NavItem[];
}

export interface Navigation {
  groups: NavGroup[];
}

const MAX_GROUPS = 50;
const MAX_ITEMS = 500;
const GROUP_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * An app's navigation menu (the admin's navigation editor, the staff sidebar): entities in
 * groups and order, stored on the app as JSON. Answers hold only the entities the caller may
 * open; entities the menu does not place yet come last, in an ungrouped block, so a new entity
 * is never missing from the menu.
 */
@Injectable()
export class NavigationService {
  constructor(
    private readonly apps: AppsService,
    private readonly entities: EntitiesService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async getOrThrow(ctx: RequestContext, appId: string): Promise<Navigation> {
    const visible = await this.entities.list(ctx, appId); // 404 when the app is out of reach
    const names = new Map(visible.map((e) => [e.id, e.name]));
    const stored = parseNavigation(await this.apps.storedNavigation(ctx, appId));
    const placed = new Set<string>();
    const groups = stored.groups.map((g) => ({
      ...g,
      items: g.items.filter((i) => names.has(i.id) && !placed.has(i.id) && placed.add(i.id)).map((i) => ({ ...i, name: names.get(i.id)! })),
    }));
    const rest = visible.filter((e) => !placed.has(e.id)).map((e) => ({ kind: 'entity' as const, id: e.id, name: e.name }));
    if (rest.length) groups.push({ id: 'unplaced', name: null, items: rest });
    return { groups };
  }

  /** PUT: the whole menu (app admins). Each entity of the app at most once; unknown ids are refused. */
  async replaceOrThrow(ctx: RequestContext, appId: string, body: unknown): Promise<Navigation> {
    await this.apps.getOrThrow(ctx, appId);
    await this.access.requireAppAdminOrThrow(ctx, appId);
    const input = new InputChecker(body).only(['groups']);
    const appEntities = new Set((await this.entities.list(ctx, appId)).map((e) => e.id));
    const groups = readGroups(input, appEntities);
    input.doneOrThrow();
    const before = await this.apps.storedNavigation(ctx, appId);
    const next = JSON.stringify({ groups });
    await this.apps.storeNavigation(ctx, appId, next, nowStorage());
    await this.audit.write(ctx, { action: 'app.navigation', targetType: 'app', targetId: appId, changes: { navigation: { from: before, to: next } } });
    return this.getOrThrow(ctx, appId);
  }
}

function parseNavigation(raw: string | null): Navigation {
  if (!raw) return { groups: [] };
  try {
    const parsed = JSON.parse(raw) as Navigation;
    return Array.isArray(parsed.groups) ? parsed : { groups: [] };
  } catch {
    return { groups: [] };
  }
}

/** Checks the menu sent by the client; every problem is an issue with its JSON pointer. */
function readGroups(input: InputChecker, appEntities: Set<string>): NavGroup[] {
  const raw = input.raw('groups');
  if (!Array.isArray(raw)) {
    input.issues.push({ path: '/groups', code: 'invalid_type', message: 'groups must be an array' });
    return [];
  }
  if (raw.length > MAX_GROUPS) input.issues.push({ path: '/groups', code: 'too_many', message: `at most ${MAX_GROUPS} groups` });
  const groupIds = new Set<string>();
  const seen = new Set<string>();
  let count = 0;
  const out: NavGroup[] = [];
  raw.slice(0, MAX_GROUPS).forEach((g: unknown, gi) => {
    const at = `/groups/${gi}`;
    const group = (g ?? {}) as Record<string, unknown>;
    if (typeof group.id !== 'string' || !GROUP_ID.test(group.id) || groupIds.has(group.id)) {
      input.issues.push({ path: `${at}/id`, code: 'invalid_id', message: 'a group needs a unique id (letters, digits, _ and -)' });
    } else groupIds.add(group.id);
    const name = group.name === null || group.name === undefined ? null : typeof group.name === 'string' ? group.name.trim() : undefined;
    if (name === undefined || (name !== null && (name.length === 0 || name.length > 100))) {
      input.issues.push({ path: `${at}/name`, code: 'invalid_name', message: 'a group name is 1 to 100 characters, or null for no heading' });
    }
    const items = Array.isArray(group.items) ? group.items : [];
    if (!Array.isArray(group.items)) input.issues.push({ path: `${at}/items`, code: 'invalid_type', message: 'items must be an array' });
    const kept: NavItem[] = [];
    items.forEach((it: unknown, ii) => {
      const item = (it ?? {}) as Record<string, unknown>;
      const path = `${at}/items/${ii}`;
      if (++count > MAX_ITEMS) return;
      if (item.kind !== 'entity') return void input.issues.push({ path: `${path}/kind`, code: 'invalid_option', message: 'kind must be "entity"' });
      if (typeof item.id !== 'string' || !appEntities.has(item.id)) {
        return void input.issues.push({ path: `${path}/id`, code: 'unknown_entity', message: `${String(item.id)} is not an entity of this app` });
      }
      if (seen.has(item.id)) return void input.issues.push({ path: `${path}/id`, code: 'duplicate', message: 'an entity appears once in the menu' });
      seen.add(item.id);
      kept.push({ kind: 'entity', id: item.id });
    });
    out.push({ id: String(group.id), name: name ?? null, items: kept });
  });
  if (count > MAX_ITEMS) input.issues.push({ path: '/groups', code: 'too_many', message: `at most ${MAX_ITEMS} items` });
  return out;
}
