import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../common/config';
import { openDataSource } from './data-source';
import { Db } from './db';

@Global()
@Module({
  providers: [
    {
      provide: Db,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => new Db(await openDataSource(config)),
    },
  ],
  exports: [Db],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Db) private readonly db: Db) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
