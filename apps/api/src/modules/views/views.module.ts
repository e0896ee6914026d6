import { Module } from '@nestjs/common';
import { RecordsModule } from '../records/records.module';
import { ViewsRepository } from './views.repository';
import { ViewsService } from './views.service';

/** Saved views of records (table, kanban, calendar), a member's own or shared by admins. */
@Module({
  imports: [RecordsModule],
  providers: [ViewsRepository, ViewsService],
  exports: [ViewsService],
})
export class ViewsModule {}
