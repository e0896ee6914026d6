import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type CrmRequest, Public } from '../../common/request-context';
import { PublicFormsService } from './public-forms.service';
import { ApiAnswer, ref } from '../../common/openapi';
import './forms.openapi';

/** Anonymous: no session, no cookie, so no CSRF token either (the guard skips @Public routes). */
@ApiTags('public forms')
@Controller('public/forms/:token')
export class PublicFormsController {
  constructor(private readonly forms: PublicFormsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The form of a public fill-in link: schema and uiSchema of its exposed fields', security: [] })
  @ApiQuery({ name: 'locale', required: false, enum: ['en', 'zh-CN'] })
  @ApiAnswer(ref('PublicForm'), { public: true })
  form(@Param('token') token: string, @Req() req: CrmRequest, @Query('locale') locale?: string) {
    return this.forms.form(token, req, locale);
  }

  @Public()
  @Post('submit')
  @ApiOperation({ summary: 'Submit the form: creates one record from the exposed fields; answers with a receipt only (rate limited)', security: [] })
  @ApiBody({ schema: ref('RecordValues') as never })
  @ApiAnswer(ref('PublicReceipt'), { status: 201, public: true, errors: [429] })
  submit(@Param('token') token: string, @Body() body: unknown, @Req() req: CrmRequest) {
    return this.forms.submit(token, body, req);
  }
}
