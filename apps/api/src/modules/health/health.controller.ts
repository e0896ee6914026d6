import { Controller, Get, Inject, type OnModuleDestroy } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError } from '../../common/errors';
import { Ctx, Public, type RequestContext } from '../../common/request-context';
import { ShutdownCoordinator } from '../../common/shutdown';
import { Db } from '../../database/db';
import { type JobsHealth, JobsService } from '../jobs/jobs.service';
import { HealthRepository } from './health.repository';
import { JOBS_HEALTH_SCHEMA } from './jobs-health.schema';

@ApiTags('health')
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly redis: Redis | null;

  constructor(
    private readonly db: Db,
    private readonly pings: HealthRepository,
    private readonly jobs: JobsService,
    private readonly shutdown: ShutdownCoordinator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
    this.redis?.on('error', () => undefined);
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and dependencies', security: [] })
  async health(): Promise<{ status: 'ok'; database: string; redis: 'up' | 'down' | 'off' }> {
    await this.pings.ping();
    return { status: 'ok', database: this.db.dialect, redis: await this.redisStatus() };
  }

  /** For load balancers and orchestrators: 503 SHUTTING_DOWN from the moment SIGTERM starts the drain, 503 DATABASE_UNAVAILABLE without a database. */
  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: whether to send this process traffic', security: [] })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ready'] } }, required: ['status'] } })
  @ApiResponse({ status: 503, description: 'SHUTTING_DOWN (draining after SIGTERM) or DATABASE_UNAVAILABLE, with Retry-After' })
  async ready(): Promise<{ status: 'ready' }> {
    if (this.shutdown.draining) throw new AppError('SHUTTING_DOWN', 'This process is shutting down; send requests to another one');
    await this.pings.ping();
    return { status: 'ready' };
  }

  @Get('jobs')
  @ApiOperation({ summary: 'Job system health (workspace admins): worker readiness, queue depth, oldest job age, outbox backlog' })
  @ApiOkResponse({ schema: JOBS_HEALTH_SCHEMA as never })
  @ApiForbiddenResponse({ description: 'not a workspace admin, or a token narrowed to apps' })
  async jobsHealth(@Ctx() ctx: RequestContext): Promise<JobsHealth> {
    if (!ctx.actor.isAdmin || ctx.actor.appIds !== null)
      throw new AppError('FORBIDDEN', 'Only workspace admins (not tokens narrowed to apps) can read the job system health');
    return this.jobs.health();
  }

  private async redisStatus(): Promise<'up' | 'down' | 'off'> {
    if (!this.redis) return 'off';
    try {
      if (this.redis.status === 'wait') await this.redis.connect();
      return (await this.redis.ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
