import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, type RequestContext } from '../../common/request-context';
import { type DepartmentDetailDto, type DepartmentDto, DepartmentsService } from './departments.service';
import { ApiAnswer, ref, S } from '../../common/openapi';
import './org.openapi';

@ApiTags('departments')
@Controller('departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @ApiOperation({ summary: 'All departments, flat in tree order (depth-first, siblings by name) with parentId, depth, childCount and memberCount' })
  @ApiAnswer(S.items(ref('Department')))
  async list(@Ctx() ctx: RequestContext): Promise<{ items: DepartmentDto[] }> {
    return { items: await this.departments.list(ctx) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One department with its member ids' })
  @ApiAnswer(ref('Department'))
  get(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<DepartmentDetailDto> {
    return this.departments.getOrThrow(ctx, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a department (workspace admins)' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, parentId: { type: 'string', nullable: true }, headUserId: { type: 'string', nullable: true } },
    },
  })
  @ApiAnswer(ref('Department'), { status: 201, errors: [409] })
  create(@Ctx() ctx: RequestContext, @Body() body: unknown): Promise<DepartmentDetailDto> {
    return this.departments.create(ctx, body);
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Rename, move (parentId; null = top level; a move into its own subtree is refused with 409 DEPARTMENT_CYCLE) or change the head (workspace admins)',
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: { name: { type: 'string' }, parentId: { type: 'string', nullable: true }, headUserId: { type: 'string', nullable: true } },
    },
  })
  @ApiAnswer(ref('Department'), { errors: [409] })
  update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown): Promise<DepartmentDetailDto> {
    return this.departments.update(ctx, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an empty department (workspace admins); with sub-departments or members: 409 DEPARTMENT_NOT_EMPTY' })
  @ApiAnswer(null, { errors: [409] })
  remove(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    return this.departments.remove(ctx, id);
  }

  @Put(':id/members')
  @ApiOperation({ summary: "Replace the department's members (workspace admins); a member may be in several departments" })
  @ApiBody({ schema: { type: 'object', required: ['userIds'], properties: { userIds: { type: 'array', items: { type: 'string' } } } } })
  @ApiAnswer(ref('Department'))
  setMembers(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() body: unknown): Promise<DepartmentDetailDto> {
    return this.departments.setMembers(ctx, id, body);
  }
}
