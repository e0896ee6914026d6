import { Module } from '@nestjs/common';
import { LimitsRepository } from './limits.repository';
import { RateLimiter } from './rate-limiter.service';

/** The one rate-limit mechanism (sign-in throttling, public-form limits): atomic counters in the database or Redis. */
@Module({
  providers: [LimitsRepository, RateLimiter],
  exports: [RateLimiter],
})
export class LimitsModule {}
