import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DdlRunnerService } from './ddl-runner.service';
import { DdlRepository } from './ddl.repository';

@Global()
@Module({})
export class DdlModule {
  /** The root module registers it once, with optional extra providers (test fault injection). */
  static with(extra: DynamicModule['providers'] = []): DynamicModule {
    return { module: DdlModule, providers: [DdlRepository, DdlRunnerService, ...(extra ?? [])], exports: [DdlRepository, DdlRunnerService] };
  }
}
