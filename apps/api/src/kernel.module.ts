import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './common/config';
import { ShutdownCoordinator } from './common/shutdown';
import { DatabaseModule } from './database/database.module';
import { AccessModule } from './modules/access/access.module';
import { AppsModule } from './modules/apps/apps.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { ComputedModule } from './modules/computed/computed.module';
import { DdlModule } from './modules/ddl/ddl.module';
import { EntitiesModule } from './modules/entities/entities.module';
import { FilesModule } from './modules/files/files.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { FormsModule } from './modules/forms/forms.module';
import { ImportsModule } from './modules/imports/imports.module';
import { LimitsModule } from './modules/limits/limits.module';
import { OrgModule } from './modules/org/org.module';
import { PermissionsModule } from './modules/permissions/permissions.module';
import { RecordsModule } from './modules/records/records.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { TokensModule } from './modules/tokens/tokens.module';
import { WorkflowsModule } from './modules/workflows/workflows.module';
import { ViewsModule } from './modules/views/views.module';
import { CommentsModule } from './modules/comments/comments.module';
import { SearchModule } from './modules/search/search.module';

/** The configuration, the shutdown drain, and providers a test adds (e.g. DDL fault injection): process-wide, so global. */
@Global()
@Module({})
class KernelConfigModule {
  static of(config: AppConfig, extra: Provider[]): DynamicModule {
    const tokens = extra.map((p) => (typeof p === 'function' ? p : p.provide));
    return {
      module: KernelConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, ShutdownCoordinator, ...extra],
      exports: [APP_CONFIG, ShutdownCoordinator, ...tokens],
    };
  }
}

/** The domain modules, lowest layer first (docs/architecture.md, "Modules in layers"). */
const DOMAIN_MODULES = [
  DatabaseModule,
  AuditModule,
  DdlModule,
  LimitsModule,
  JobsModule,
  AuthModule,
  OrgModule,
  AccessModule,
  TokensModule,
  AppsModule,
  EntitiesModule,
  PermissionsModule,
  RecordsModule,
  ComputedModule,
  FormsModule,
  FilesModule,
  NotificationsModule,
  WorkflowsModule,
  ImportsModule,
  ViewsModule,
  CommentsModule,
  SearchModule,
];

/**
 * The kernel: every domain module (services, repositories, the record-write pipeline and the
 * participants that register into it) without HTTP: no controllers, guards, body parsers or
 * upload handling. The API (app.module.ts) is the kernel plus controllers and HTTP concerns;
 * the worker boots the kernel alone (`NestFactory.createApplicationContext(KernelModule.forRoot(config))`).
 */
@Module({})
export class KernelModule {
  static forRoot(config: AppConfig, extra: Provider[] = []): DynamicModule {
    return { module: KernelModule, imports: [KernelConfigModule.of(config, extra), ...DOMAIN_MODULES], exports: DOMAIN_MODULES };
  }
}
