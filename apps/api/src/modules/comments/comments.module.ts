import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgModule } from '../org/org.module';
import { RecordsModule } from '../records/records.module';
import { CommentJobs } from './comment-jobs';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';

/** Comments on a record with @mentions (the record page); above records, notifying through notifications and jobs. */
@Module({
  imports: [RecordsModule, JobsModule, NotificationsModule, OrgModule],
  providers: [CommentsRepository, CommentsService, CommentJobs],
  exports: [CommentsService],
})
export class CommentsModule {}
