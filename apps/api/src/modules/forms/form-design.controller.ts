import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ref } from '../../common/openapi';
import { Ctx, type RequestContext } from '../../common/request-context';
import { FormDesignService } from './form-design.service';
import './forms.openapi';

/** The form designer's server-side draft: fields (new ones included) and the form, under one revision. */
@ApiTags('forms')
@Controller('entities/:entityId/form/design')
export class FormDesignController {
  constructor(private readonly design: FormDesignService) {}

  @Get()
  @ApiOperation({ summary: 'The designer document (app admins): the saved one, or one made from the fields and the form draft' })
  @ApiAnswer(ref('FormDesign'))
  get(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string) {
    return this.design.get(ctx, entityId);
  }

  @Put()
  @ApiOperation({ summary: 'Save the designer document for the revision it was based on; a stale revision answers 409 DRAFT_CONFLICT' })
  @ApiBody({ schema: ref('FormDesignSave') as never })
  @ApiAnswer(ref('FormDesign'), { errors: [409] })
  save(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.design.save(ctx, entityId, body);
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'What publishing the saved document would change, with the data check of each field change (nothing is changed)' })
  @ApiAnswer(ref('FormDesignPreview'))
  preview(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string) {
    return this.design.preview(ctx, entityId);
  }

  @Post('publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply the previewed revision: field changes through the field service, then publish the form' })
  @ApiBody({ schema: ref('FormDesignPublish') as never })
  @ApiAnswer(ref('FormDesignPublished'), { errors: [409, 422] })
  publish(@Ctx() ctx: RequestContext, @Param('entityId') entityId: string, @Body() body: unknown) {
    return this.design.publish(ctx, entityId, body);
  }
}
