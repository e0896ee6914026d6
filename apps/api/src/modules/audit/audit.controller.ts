import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AppError } from '../../common/errors';
import { storageToIso } from '../../common/ids';
import { Ctx, type RequestContext } from '../../common/request-context';
import { AuditRepository } from './audit.repository';
import { ApiAnswer, defineSchemas, ref, S } from '../../common/openapi';

defineSchemas({
  AuditEntry: S.obj(
    {
      id: S.int(),
      at: S.time(),
      actorId: S.nullable(S.str()),
      actorKind: S.str(),
      action: S.str({ description: 'e.g. app.create, record.update, token.use' }),
      targetType: S.nullable(S.str()),
      targetId: S.nullable(S.str()),
      entityId: S.nullable(S.str()),
      recordId: S.nullable(S.int()),
      changes: S.any('field-level `{ from, to }` by key, or what the action records'),
      requestId: S.nullable(S.str()),
      ip: S.nullable(S.str()),
    },
    ['id', 'at', 'actorId', 'actorKind', 'action', 'targetType', 'targetId', 'entityId', 'recordId', 'changes', 'requestId', 'ip'],
  ),
});

const isoToStorage = (v: string, name: string) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new AppError('INVALID_REQUEST', `${name} must be an ISO date or date-time`);
  return d.toISOString().replace('T', ' ').replace('Z', '');
};

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly repo: AuditRepository) {}

  @Get()
  @ApiOperation({
    summary:
      'Audit log (workspace admins; a token narrowed to apps reads only the entries about them): filter by actor, action (prefix with trailing dot), target, entity, record, time; newest first',
  })
  @ApiQuery({ name: 'actorId', schema: { type: 'string' }, required: false })
  @ApiQuery({ name: 'action', schema: { type: 'string' }, required: false, example: 'record.' })
  @ApiQuery({ name: 'targetType', schema: { type: 'string' }, required: false, example: 'record' })
  @ApiQuery({ name: 'targetId', schema: { type: 'string' }, required: false })
  @ApiQuery({ name: 'entityId', schema: { type: 'string' }, required: false })
  @ApiQuery({ name: 'recordId', schema: { type: 'integer', minimum: 1 }, required: false })
  @ApiQuery({ name: 'from', schema: { type: 'string', description: 'ISO date or date-time' }, required: false })
  @ApiQuery({ name: 'to', schema: { type: 'string', description: 'ISO date or date-time' }, required: false })
  @ApiQuery({ name: 'cursor', schema: { type: 'string' }, required: false })
  @ApiQuery({ name: 'limit', schema: { type: 'integer', minimum: 1 }, required: false })
  @ApiAnswer(S.page(ref('AuditEntry')))
  async list(@Ctx() ctx: RequestContext, @Query() q: Record<string, string | undefined>) {
    if (!ctx.actor.isAdmin) throw new AppError('FORBIDDEN', 'Only workspace admins can read the audit log');
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new AppError('INVALID_REQUEST', 'limit must be a whole number from 1 to 500');
    const num = (v: string | undefined, name: string) => {
      if (v === undefined || v === '') return undefined;
      if (!/^\d{1,15}$/.test(v)) throw new AppError(name === 'cursor' ? 'INVALID_CURSOR' : 'INVALID_REQUEST', `${name} must be a positive whole number`);
      return Number(v);
    };
    const rows = await this.repo.query({
      workspaceId: ctx.actor.workspaceId,
      actorId: q.actorId,
      action: q.action,
      targetType: q.targetType,
      targetId: q.targetId,
      entityId: q.entityId,
      recordId: num(q.recordId, 'recordId'),
      from: q.from ? isoToStorage(q.from, 'from') : undefined,
      to: q.to ? isoToStorage(q.to, 'to') : undefined,
      beforeId: num(q.cursor, 'cursor'),
      limit,
      appIds: ctx.actor.appIds,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: Number(r.id),
        at: storageToIso(r.created_at),
        actorId: r.actor_id,
        actorKind: r.actor_kind,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        entityId: r.entity_id,
        recordId: r.record_id === null ? null : Number(r.record_id),
        changes: JSON.parse(r.changes),
        requestId: r.request_id,
        ip: r.ip,
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
    };
  }
}
