import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { EntitiesModule } from '../entities/entities.module';
import { RecordsModule } from '../records/records.module';
import { FilesWriteParticipant } from './files-write.participant';
import { FilesRepository } from './files.repository';
import { FilesService } from './files.service';

/** Uploaded files: bytes under DATA_DIR/files, metadata, which records hold them; registers its write stages with the records pipeline. */
@Module({
  imports: [EntitiesModule, AccessModule, RecordsModule],
  providers: [FilesRepository, FilesService, FilesWriteParticipant],
  exports: [FilesService],
})
export class FilesModule {}
