import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EntitiesModule } from '../entities/entities.module';
import { JobsModule } from '../jobs/jobs.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RecordsModule } from '../records/records.module';
import { OrgDirectory } from './org-directory';
import { WorkflowActions } from './workflow-actions';
import { WorkflowDesignService } from './workflow-design.service';
import { WorkflowEngineService } from './workflow-engine.service';
import { WorkflowInboxRepository } from './workflow-inbox.repository';
import { WorkflowInstancesService } from './workflow-instances.service';
import { WorkflowJobs } from './workflow-jobs';
import { WorkflowOrgRepository } from './workflow-org.repository';
import { WorkflowRuntimeRepository } from './workflow-runtime.repository';
import { WorkflowStaffAccess } from './workflow-staff-access';
import { WorkflowTasksService } from './workflow-tasks.service';
import { WorkflowWrites } from './workflow-writes';
import { WorkflowsRepository } from './workflows.repository';

/**
 * Approval workflows (docs/workflows.md): design (drafts, validation, publish, versions), the
 * runtime that starts instances from record events and runs the engine's effects as jobs, the
 * staff inbox and actions. Sits above records and forms; lower modules never import it (it
 * subscribes to record events and registers job types at start-up).
 */
@Module({
  imports: [EntitiesModule, AccessModule, RecordsModule, JobsModule, NotificationsModule],
  providers: [
    WorkflowsRepository,
    WorkflowOrgRepository,
    WorkflowRuntimeRepository,
    WorkflowInboxRepository,
    OrgDirectory,
    WorkflowDesignService,
    WorkflowEngineService,
    WorkflowWrites,
    WorkflowActions,
    WorkflowJobs,
    WorkflowStaffAccess,
    WorkflowTasksService,
    WorkflowInstancesService,
  ],
  exports: [WorkflowDesignService, WorkflowTasksService, WorkflowInstancesService, WorkflowEngineService, OrgDirectory],
})
export class WorkflowsModule {}
