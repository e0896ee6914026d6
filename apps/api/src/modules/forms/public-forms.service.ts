import { randomBytes } from 'node:crypto';
import type { CompiledAccess } from '@crm/access';
import { buildFormSchemas, type FormDefinition, isLocale, type LayoutNode, localeFromAcceptLanguage, type Locale } from '@crm/forms';
import { Inject, Injectable } from '@nestjs/common';
import { BoundedCache } from '../../common/bounded-cache';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError, notFound } from '../../common/errors';
import { nowStorage } from '../../common/ids';
import { clientIpOf, type CrmRequest, type RequestContext } from '../../common/request-context';
import { EntityAccess } from '../access/access.service';
import { AuditService } from '../audit/audit.service';
import { type CompiledEntity, EntityRuntime } from '../entities/entity-runtime.service';
import { RateLimiter } from '../limits/rate-limiter.service';
import { RecordsService } from '../records/records.service';
import { type CompiledForm, FormRuntime } from './form-runtime.service';
import { FormsRepository, type PublicLinkRow } from './forms.repository';
import { sha256 } from './public-links.service';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface OpenLink {
  link: PublicLinkRow;
  c: CompiledEntity;
  form: CompiledForm;
  exposed: string[];
}

/**
 * The anonymous side of public links. A submission acts as nobody: it may only create, only
 * the exposed fields, owned by the link's configured member or no one, audited as 'anonymous',
 * and it reads back nothing but its receipt. Unknown, rotated-away and disabled tokens are 404.
 */
@Injectable()
export class PublicFormsService {
  private readonly schemas = new BoundedCache<string, object>(1000);

  constructor(
    private readonly repo: FormsRepository,
    private readonly runtime: FormRuntime,
    private readonly entities: EntityRuntime,
    private readonly records: RecordsService,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async openOrThrow(token: string): Promise<OpenLink> {
    const gone = () => notFound('PUBLIC_LINK_NOT_FOUND', 'This form link');
    if (!TOKEN.test(token)) throw gone();
    const link = await this.repo.linkByTokenHash(sha256(token));
    if (!link || !Number(link.enabled)) throw gone();
    let c: CompiledEntity;
    try {
      c = await this.entities.getOrThrow(link.workspace_id, link.entity_id);
    } catch {
      throw gone();
    }
    const form = await this.runtime.publishedOrNull(c);
    if (!form) throw gone();
    // Fields removed or turned computed since the link was set up are simply not exposed.
    const exposed = (JSON.parse(link.exposed_fields) as string[]).filter((k) => c.byKey.has(k));
    return { link, c, form, exposed };
  }

  /** Schema and uiSchema of the exposed fields, built once per (link settings, entity version, form version, locale). */
  async form(token: string, req: CrmRequest, rawLocale?: string) {
    const { link, c, form, exposed } = await this.openOrThrow(token);
    const locale: Locale = isLocale(rawLocale) ? rawLocale : localeFromAcceptLanguage(req.header('accept-language'));
    const key = `${link.id}:${link.updated_at}:${c.meta.version}:${form.version}:${locale}`;
    let out = this.schemas.get(key);
    if (!out) {
      FormRuntime.compiles++;
      const { schema, uiSchema } = buildFormSchemas({ entityFields: c.meta.fields, form: form.definition, locale, fieldKeys: exposed });
      out = { title: c.meta.name, version: form.version, locale, schema, uiSchema, form: publicRules(form.definition, exposed) };
      this.schemas.set(key, out);
    }
    return out;
  }

  /** Creates one record from the exposed fields; answers 201 with a receipt and nothing else. */
  async submit(token: string, body: unknown, req: CrmRequest): Promise<{ receiptId: string; submittedAt: string; values: Record<string, unknown> }> {
    const { link, c, exposed } = await this.openOrThrow(token);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new AppError('INVALID_REQUEST', 'The request body must be a JSON object of field values');
    const ip = clientIpOf(req) || 'unknown';
    const attempt = await this.throttleOrThrow(link.id, ip);
    const ctx = anonymousContext(link, req);
    const access = new EntityAccess(c, publicAccess(exposed), { userId: '', departmentIds: [], departmentTree: [] }, this.repo.dialect);
    const rec = await this.records.create(ctx, c.meta.id, body, { access, ownerId: link.owner_id });
    const receiptId = randomBytes(16).toString('base64url');
    const values: Record<string, unknown> = {};
    for (const k of exposed) values[k] = rec[k] ?? null;
    await this.audit.write(ctx, {
      action: 'form.public_submit',
      targetType: 'public_link',
      targetId: link.id,
      entityId: c.meta.id,
      recordId: rec.id,
      changes: { receiptId: { from: null, to: receiptId } },
    });
    await this.repo.completeSubmission(attempt, receiptId, rec.id);
    return { receiptId, submittedAt: rec.createdAt, values };
  }

  /**
   * Attempts (accepted or not) per link and per client address within the window, reserved in
   * the one rate-limit mechanism before the record is created; over either limit answers 429
   * without counting. The counters are shared by every API node (database or Redis).
   */
  private async throttleOrThrow(linkId: string, ip: string): Promise<number> {
    const { perLink, perIp, windowSeconds } = this.config.publicForms;
    const res = await this.limiter.reserve([
      RateLimiter.bucket('form:link', linkId, perLink, windowSeconds),
      RateLimiter.addressBucket('form:address', ip, perIp, windowSeconds),
    ]);
    if (!res.ok) {
      throw new AppError('RATE_LIMITED', `Too many submissions; try again in ${res.retryAfterSeconds} seconds`, { retryAfterSeconds: res.retryAfterSeconds });
    }
    const now = Date.now();
    const id = await this.repo.insertSubmission({ linkId, ip, at: nowStorage(new Date(now)) });
    if (Math.random() < 0.01) await this.repo.pruneSubmissions(nowStorage(new Date(now - 86_400_000)));
    return id;
  }
}

/** Create only, the exposed fields only; it reads back (for the receipt) only what it could write. */
function publicAccess(exposed: string[]): CompiledAccess {
  const fields = new Set(exposed);
  return {
    isAdmin: false,
    can: (a) => a === 'create',
    scope: (a) => (a === 'create' ? 'all' : null),
    readable: fields,
    writable: (a) => (a === 'create' ? fields : new Set<string>()),
  };
}

function anonymousContext(link: PublicLinkRow, req: CrmRequest): RequestContext {
  return {
    requestId: req.requestId ?? '',
    ip: clientIpOf(req),
    locale: localeFromAcceptLanguage(req.header('accept-language')),
    actor: {
      kind: 'anonymous',
      userId: '',
      workspaceId: link.workspace_id,
      workspaceName: '',
      email: '',
      name: '',
      isAdmin: false,
      sessionId: null,
      tokenId: null,
      appIds: null,
      readOnly: false,
      aclVersion: 0,
    },
  };
}

/** The rules a browser needs for the exposed fields: no linkage details, no validations (the server checks those). */
function publicRules(def: FormDefinition, exposed: string[]): FormDefinition {
  const keep = new Set(exposed);
  const fields: FormDefinition['fields'] = {};
  for (const [k, cfg] of Object.entries(def.fields)) {
    if (!keep.has(k)) continue;
    const { default: d, ...rest } = cfg;
    fields[k] = { ...rest, ...(d && d.kind !== 'linkage' ? { default: d } : {}) };
  }
  const only = (nodes: LayoutNode[]): LayoutNode[] =>
    nodes.flatMap((n): LayoutNode[] => {
      if (n.type === 'field') return keep.has(n.key) ? [n] : [];
      if (n.type === 'section') return [{ ...n, children: only(n.children) }];
      if (n.type === 'tabs') return [{ ...n, tabs: n.tabs.map((t) => ({ ...t, children: only(t.children) })) }];
      return [n];
    });
  return {
    layout: only(def.layout),
    fields,
    validations: [],
    hiddenFieldPolicy: def.hiddenFieldPolicy,
    ...(def.submitHint !== undefined ? { submitHint: def.submitHint } : {}),
  };
}
