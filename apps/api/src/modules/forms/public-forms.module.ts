import { Module } from '@nestjs/common';
import { EntitiesModule } from '../entities/entities.module';
import { RecordsModule } from '../records/records.module';
import { PublicFormsController } from './public-forms.controller';
import { PublicFormsService } from './public-forms.service';

/** Anonymous side of public fill-in links (外链): the form of exposed fields, and submissions. */
@Module({
  imports: [EntitiesModule, RecordsModule],
  controllers: [PublicFormsController],
  providers: [PublicFormsService],
})
export class PublicFormsModule {}
