import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { localeFromAcceptLanguage } from '@crm/forms';
import type { Request } from 'express';

/** Who acts, in which workspace, and how they proved it. Permissions hang off this. */
export interface Actor {
  /** anonymous: a public fill-in link (外链) submission; it acts as nobody (userId '', create only). */
  kind: 'session' | 'token' | 'anonymous';
  userId: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  name: string;
  /** Workspace admin (app admins are resolved per app by the access service). */
  isAdmin: boolean;
  sessionId: string | null;
  tokenId: string | null;
  /** An API token narrowed to some apps; null means every app the member can reach. */
  appIds: string[] | null;
  /** An API token that may only read. */
  readOnly: boolean;
  /** Moves whenever members, departments, roles or permission groups change. */
  aclVersion: number;
}

export interface RequestContext {
  requestId: string;
  ip: string;
  actor: Actor;
  /** Language of validation messages, from Accept-Language (zh-CN or en; en by default). */
  locale?: 'en' | 'zh-CN';
}

/** `clientIp`: the client's address, set once per request by server.ts (common/client-address.ts, TRUSTED_PROXIES). */
export type CrmRequest = Request & { requestId?: string; actor?: Actor; clientIp?: string };

/** The client's address as limits and the audit log use it; never Express's `req.ip`, whose proxy trust is not ours. */
export const clientIpOf = (req: CrmRequest): string => req.clientIp ?? '';

export const IS_PUBLIC = 'crm:isPublic';
/** Marks a route that needs no session (login, health, OpenAPI). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export function contextOf(req: CrmRequest): RequestContext {
  if (!req.actor) throw new Error('No actor on request: route is not behind the session guard');
  return { requestId: req.requestId ?? '', ip: clientIpOf(req), actor: req.actor, locale: localeFromAcceptLanguage(req.header?.('accept-language')) };
}

/** Injects the RequestContext of the current request into a controller method. */
export const Ctx = createParamDecorator((_: unknown, ec: ExecutionContext): RequestContext => contextOf(ec.switchToHttp().getRequest<CrmRequest>()));
