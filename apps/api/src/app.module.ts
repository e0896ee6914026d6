import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { APP_CONFIG, type AppConfig } from './common/config';
import { KernelModule } from './kernel.module';
import { AppsController, AppsTrashController } from './modules/apps/apps.controller';
import { AppPurgeController } from './modules/entities/app-purge.controller';
import { AuditController } from './modules/audit/audit.controller';
import { AuthController } from './modules/auth/auth.controller';
import { SessionGuard } from './modules/auth/session.guard';
import { RelationsController } from './modules/computed/relations.controller';
import { EntitiesController } from './modules/entities/entities.controller';
import { NavigationController } from './modules/entities/navigation.controller';
import { FilesController } from './modules/files/files.controller';
import { FormDesignController } from './modules/forms/form-design.controller';
import { FormsController } from './modules/forms/forms.controller';
import { PublicFormsController } from './modules/forms/public-forms.controller';
import { ImportsController } from './modules/imports/imports.controller';
import { HealthController } from './modules/health/health.controller';
import { HealthRepository } from './modules/health/health.repository';
import { AppAdminsController } from './modules/org/app-admins.controller';
import { DepartmentsController } from './modules/org/departments.controller';
import { MembersController } from './modules/org/members.controller';
import { RolesController } from './modules/org/roles.controller';
import { PermissionGroupsController } from './modules/permissions/permission-groups.controller';
import { AccessPreviewController } from './modules/records/access-preview.controller';
import { RecordsController } from './modules/records/records.controller';
import { NotificationsController } from './modules/notifications/notifications.controller';
import { TokensController } from './modules/tokens/tokens.controller';
import { WorkflowDesignController } from './modules/workflows/workflow-design.controller';
import { WorkflowStaffController } from './modules/workflows/workflow-staff.controller';
import { ViewsController } from './modules/views/views.controller';
import { CommentsController } from './modules/comments/comments.controller';
import { SearchController } from './modules/search/search.controller';

/** Every HTTP controller: each routes, checks its DTO and makes one call into a kernel service. */
const CONTROLLERS = [
  HealthController,
  AuthController,
  MembersController,
  DepartmentsController,
  RolesController,
  AppAdminsController,
  TokensController,
  AuditController,
  AppsController,
  AppsTrashController,
  AppPurgeController,
  EntitiesController,
  NavigationController,
  PermissionGroupsController,
  RecordsController,
  AccessPreviewController,
  RelationsController,
  FormsController,
  FormDesignController,
  PublicFormsController,
  FilesController,
  WorkflowDesignController,
  WorkflowStaffController,
  NotificationsController,
  ImportsController,
  ViewsController,
  CommentsController,
  SearchController,
];

/** The API: the kernel, its controllers, and the HTTP concerns (the session guard, multipart uploads). */
@Module({})
export class AppModule {
  /** `extra` lets tests add providers (e.g. DDL fault injection). */
  static forRoot(config: AppConfig, extra: Provider[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        KernelModule.forRoot(config, extra),
        MulterModule.registerAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({ storage: memoryStorage(), limits: { fileSize: c.uploadLimitBytes, files: 1 } }),
        }),
      ],
      controllers: CONTROLLERS,
      providers: [{ provide: APP_GUARD, useClass: SessionGuard }, HealthRepository],
    };
  }
}
