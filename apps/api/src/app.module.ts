import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './common/config';
import { DatabaseModule } from './database/database.module';
import { AppsModule } from './modules/apps/apps.module';
import { AccessModule } from './modules/access/access.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { ComputedModule } from './modules/computed/computed.module';
import { RelationsModule } from './modules/computed/relations.module';
import { DdlModule } from './modules/ddl/ddl.module';
import { EntitiesModule } from './modules/entities/entities.module';
import { FilesModule } from './modules/files/files.module';
import { FormsModule } from './modules/forms/forms.module';
import { PublicFormsModule } from './modules/forms/public-forms.module';
import { HealthController } from './modules/health/health.controller';
import { OrgModule } from './modules/org/org.module';
import { RecordsModule } from './modules/records/records.module';
import { TokensModule } from './modules/tokens/tokens.module';

@Global()
@Module({})
class ConfigModule {
  static of(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

@Module({})
export class AppModule {
  /** `extra` lets tests add providers (e.g. DDL fault injection). */
  static forRoot(config: AppConfig, extra: DynamicModule['providers'] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.of(config),
        DatabaseModule,
        AuditModule,
        AuthModule,
        OrgModule,
        TokensModule,
        AppsModule,
        DdlModule.with(extra),
        EntitiesModule,
        AccessModule,
        ComputedModule,
        FormsModule,
        RecordsModule,
        PublicFormsModule,
        RelationsModule,
        FilesModule,
      ],
      controllers: [HealthController],
    };
  }
}
