import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module';
import { EntitiesController } from './entities.controller';
import { EntitiesService } from './entities.service';
import { EntityRuntime } from './entity-runtime.service';
import { MetadataRepository } from './metadata.repository';

@Module({
  imports: [AppsModule],
  controllers: [EntitiesController],
  providers: [MetadataRepository, EntitiesService, EntityRuntime],
  exports: [EntityRuntime, MetadataRepository],
})
export class EntitiesModule {}
