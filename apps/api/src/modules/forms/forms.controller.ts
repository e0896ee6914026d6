import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { FormsService } from './forms.service';
import { PublicLinksService } from './public-links.service';
import { ApiAnswer, ref, S } from '../../common/openapi';
import './forms.openapi';

const formBody = { schema: ref('FormDefinition') as never };
const linkBody = { schema: ref('PublicLinkInput') as never };

@ApiTags('forms')
@Controller('entities/:entityId/form')
export class FormsController {
  constructor(
    private readonly forms: FormsService,
    private readonly links: PublicLinksService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The published form (everyone who can view or create records); the draft and the versions too for app admins' })
  @ApiAnswer(ref('Form'))
  get(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string) {
    return this.forms.get(ctx, entityId);
  }

  @Put()
  @ApiOperation({
    summary: 'Save the draft (app admins); staff keep the published version until the next publish',
    description: 'Send `If-Match: "<draft.revision>"`: a save based on an older revision answers 409 DRAFT_CONFLICT with currentRevision.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The draft revision this save is based on' })
  @ApiBody(formBody)
  @ApiAnswer(ref('Form'), { errors: [409] })
  saveDraft(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown, @Headers('if-match') ifMatch?: string) {
    return this.forms.saveDraft(ctx, entityId, body, ifMatch);
  }

  @Post('publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the draft as a new immutable version (app admins)' })
  @ApiAnswer(
    S.obj({ version: S.int(), publishedAt: S.time(), created: S.bool({ description: 'false: the draft equals the latest version' }) }, [
      'version',
      'publishedAt',
      'created',
    ]),
    { errors: [409] },
  )
  publish(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string) {
    return this.forms.publish(ctx, entityId);
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'One published version of the form' })
  @ApiAnswer(ref('FormVersion'), { params: { version: S.int({ minimum: 1 }) } })
  version(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Param('version') version: string) {
    return this.forms.version(ctx, entityId, version);
  }

  @Get('schema')
  @ApiOperation({ summary: 'JSON Schema + @rjsf uiSchema of the published form, with its rules (before a publish: the default form, version 0)' })
  @ApiQuery({ name: 'locale', required: false, enum: ['en', 'zh-CN'], description: 'Defaults to Accept-Language' })
  @ApiAnswer(ref('FormSchemas'))
  schema(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Query('locale') locale?: string) {
    return this.forms.schema(ctx, entityId, locale);
  }

  @Post('linkage')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The value of a field’s data-linkage default for the form’s current values (the form fills it as the member types)',
    description: 'Read as the member: only records of the source entity they may view, only fields of it they may read (otherwise null). Changes nothing.',
  })
  @ApiBody({ schema: ref('LinkageQuery') as never })
  @ApiAnswer(ref('LinkageAnswer'))
  linkage(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.forms.linkage(ctx, entityId, body);
  }

  @Get('public-link')
  @ApiOperation({ summary: 'The public fill-in link of the form (app admins; the token is never shown again)' })
  @ApiAnswer(ref('PublicLink'))
  link(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string) {
    return this.links.getLink(ctx, entityId);
  }

  @Post('public-link')
  @ApiOperation({ summary: 'Create the public fill-in link (app admins); the answer holds the token and URL, once' })
  @ApiBody(linkBody)
  @ApiAnswer(ref('PublicLink'), { status: 201, errors: [409] })
  createLink(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.links.createLink(ctx, entityId, body);
  }

  @Post('public-link/rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'New token for the public link; the old one stops working at once' })
  @ApiAnswer(ref('PublicLink'))
  rotateLink(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string) {
    return this.links.rotateLink(ctx, entityId);
  }

  @Patch('public-link')
  @ApiOperation({ summary: 'Enable/disable the public link, change its exposed fields or owner' })
  @ApiBody(linkBody)
  @ApiAnswer(ref('PublicLink'))
  updateLink(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.links.updateLink(ctx, entityId, body);
  }
}
