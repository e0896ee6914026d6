import { Controller, Get, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type FileDto, FilesService } from './files.service';
import { ApiAnswer, defineSchemas, ref, S } from '../../common/openapi';

defineSchemas({ File: S.obj({ id: S.uuid(), name: S.str(), size: S.int(), mime: S.str() }, ['id', 'name', 'size', 'mime']) });

@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: 'Upload a file (multipart field `file`); link it from an attachment field by its id' })
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiAnswer(ref('File'), { status: 201, errors: [413] })
  upload(@Ctx() ctx: RequestContext, @UploadedFile() file: Express.Multer.File | undefined): Promise<FileDto> {
    return this.files.upload(ctx, file);
  }

  @Get(':id/thumbnail')
  @ApiOperation({ summary: 'A WebP thumbnail (at most 240 px) of a picture you may download; 400 for files that are no picture' })
  @ApiAnswer(S.str({ format: 'binary' }), { okMediaType: 'image/webp' })
  async thumbnail(@Ctx() ctx: RequestContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const bytes = await this.files.thumbnail(ctx, id);
    res.setHeader('Content-Type', 'image/webp');
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(bytes);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Download a file (only when you can read a record holding it, or you uploaded it)' })
  @ApiAnswer(S.str({ format: 'binary' }), { okMediaType: 'application/octet-stream' })
  async download(@Ctx() ctx: RequestContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { file, stream } = await this.files.open(ctx, id);
    res.setHeader('Content-Type', file.mime);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return new StreamableFile(stream as never);
  }
}
