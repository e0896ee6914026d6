import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EntitiesModule } from '../entities/entities.module';
import { OrgDirectory } from './org-directory';
import { WorkflowDesignService } from './workflow-design.service';
import { WorkflowOrgRepository } from './workflow-org.repository';
import { WorkflowsRepository } from './workflows.repository';

/**
 * Approval workflows (docs/workflows.md): design (drafts, validation, publish, versions), the
 * runtime that starts instances from record events and runs the engine's effects as jobs, the
 * staff inbox and actions. Sits above records and forms; lower modules never import it.
 */
@Module({
  imports: [EntitiesModule, AccessModule],
  providers: [WorkflowsRepository, WorkflowOrgRepository, OrgDirectory, WorkflowDesignService],
  exports: [WorkflowDesignService, OrgDirectory],
})
export class WorkflowsModule {}
