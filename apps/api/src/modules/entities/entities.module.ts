import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AppsModule } from '../apps/apps.module';
import { DdlModule } from '../ddl/ddl.module';
import { AppPurgeService } from './app-purge.service';
import { EntitiesService } from './entities.service';
import { EntityDesignHooks } from './entity-design-hooks';
import { EntityRuntime } from './entity-runtime.service';
import { FieldsService } from './fields.service';
import { MetadataRepository } from './metadata.repository';
import { NavigationService } from './navigation.service';

/** The metadata engine: entities and fields, their compiled artefacts, and the design hooks upper modules register. */
@Module({
  imports: [AppsModule, AccessModule, DdlModule],
  providers: [MetadataRepository, AppPurgeService, EntitiesService, FieldsService, EntityRuntime, EntityDesignHooks, NavigationService],
  exports: [AppPurgeService, EntityRuntime, MetadataRepository, EntitiesService, FieldsService, EntityDesignHooks, NavigationService],
})
export class EntitiesModule {}
