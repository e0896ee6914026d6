import { Controller, Get, Inject, type OnModuleDestroy } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { Public } from '../../common/request-context';
import { Db } from '../../database/db';
import { HealthRepository } from './health.repository';

@ApiTags('health')
@Controller('health')
export class HealthController implements OnModuleDestroy {
  private readonly redis: Redis | null;

  constructor(
    private readonly db: Db,
    private readonly pings: HealthRepository,
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
