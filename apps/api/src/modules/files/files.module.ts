import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { FilesController } from './files.controller';
import { FilesService } from './files.service';

@Module({
  imports: [MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: (c: AppConfig) => ({ storage: memoryStorage(), limits: { fileSize: c.uploadLimitBytes, files: 1 } }) })],
  controllers: [FilesController],
  providers: [FilesService],
})
export class FilesModule {}
