import { Global, Module } from '@nestjs/common';
import { EntitiesModule } from '../entities/entities.module';
import { FormRuntime } from './form-runtime.service';
import { FormsController } from './forms.controller';
import { FormsRepository } from './forms.repository';
import { FormsService } from './forms.service';

/**
 * Forms: design (draft, publish, versions, schemas, public-link settings) and the compiled
 * published forms that record writes apply. Global, like access: the records service calls it.
 */
@Global()
@Module({
  imports: [EntitiesModule],
  controllers: [FormsController],
  providers: [FormsRepository, FormRuntime, FormsService],
  exports: [FormRuntime, FormsRepository],
})
export class FormsModule {}
