import { Controller, Get, Inject, type OnModuleDestroy } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { AppError } from '../../common/errors';
import { Ctx, Public, type RequestContext } from '../../common/request-context';
import { ShutdownCoordinator } from '../../common/shutdown';
import { Db } from '../../database/db';
import { type JobsHealth, JobsService } from '../jobs/jobs.service';
import { HealthRepository } from './health.repository';
import { ApiAnswer, S, type Schema } from '../../common/openapi';
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
  @ApiAnswer(S.obj({ status: S.str({ enum: ['ok'] }), database: S.str(), redis: S.str({ enum: ['up', 'down', 'off'] }) }, ['status', 'database', 'redis']), {
    public: true,
    errors: [503],
  })
  async health(): Promise<{ status: 'ok'; database: string; redis: 'up' | 'down' | 'off' }> {
    await this.pings.ping();
    return { status: 'ok', database: this.db.dialect, redis: await this.redisStatus() };
  }

  /** For load balancers and orchestrators: 503 SHUTTING_DOWN from the moment SIGTERM starts the drain, 503 DATABASE_UNAVAILABLE without a database. */
  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: whether to send this process traffic', security: [] })
  @ApiAnswer(S.obj({ status: S.str({ enum: ['ready'] }) }, ['status']), { public: true, errors: [503] })
  async ready(): Promise<{ status: 'ready' }> {
    if (this.shutdown.draining) throw new AppError('SHUTTING_DOWN', 'This process is shutting down; send requests to another one');
    await this.pings.ping();
    return { status: 'ready' };
  }

  @Get('jobs')
  @ApiOperation({ summary: 'Job system health (workspace admins): worker readiness, queue depth, oldest job age, outbox backlog' })
  @ApiAnswer(JOBS_HEALTH_SCHEMA as unknown as Schema)
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
