import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppModule } from './app.module';
import { jsonBody } from './common/body';
import { clientAddress, compileTrust } from './common/client-address';
import type { AppConfig } from './common/config';
import { ProblemFilter } from './common/problem.filter';
import { ShutdownCoordinator } from './common/shutdown';
import { webStatic } from './common/web-static';
import { buildOpenApiDocument } from './openapi-document';

/** Builds the HTTP app (used by main.ts and by the integration tests). */
export async function createServer(
  config: AppConfig,
  opts: { extraProviders?: never[]; logger?: false | ('log' | 'error' | 'warn')[] } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, opts.extraProviders ?? []), {
    bodyParser: false,
    logger: opts.logger ?? ['log', 'error', 'warn'],
  });
  app.get(ShutdownCoordinator).attach(app.getHttpServer());
  // The client address: X-Forwarded-For counts only from the proxies TRUSTED_PROXIES lists.
  const trust = compileTrust(config.trustedProxies);
  app.set('trust proxy', trust);
  app.disable('x-powered-by');
  app.use((req: IncomingMessage & { clientIp?: string }, _res: ServerResponse, next: () => void) => {
    req.clientIp = clientAddress(req, trust);
    next();
  });
  app.use((req: Request & { requestId?: string }, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    req.requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', req.requestId);
    next();
  });
  app.use(cookieParser());
  app.use('/api', jsonBody(config.bodyLimitBytes, config.bulkBodyLimitBytes));
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new ProblemFilter());

  const doc = buildOpenApiDocument(app);
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.get('/api/openapi.json', (_req, res) => res.json(doc));

  if (config.webDist && existsSync(join(config.webDist, 'index.html'))) {
    const web = webStatic(config.webDist);
    app.use(web.assets);
    // Client-side routes fall back to the SPA; /api stays the API's (404 as problem details),
    // and a missing asset (a path with an extension) stays a 404 rather than HTML.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || /\.[a-z0-9]+$/i.test(req.path)) return next();
      web.page(req, res, next);
    });
  } else if (config.webDist) {
    Logger.warn(`Web app not built (${config.webDist} missing); serving the API only`, 'Server');
  }
  await app.init();
  return app;
}
