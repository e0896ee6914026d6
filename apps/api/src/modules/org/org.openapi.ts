import { defineSchemas, ref, S } from '../../common/openapi';

const named = S.obj({ id: S.uuid(), name: S.str() }, ['id', 'name']);

defineSchemas({
  Member: S.obj(
    {
      id: S.uuid(),
      email: S.nullable(S.str()),
      username: S.nullable(S.str()),
      name: S.str(),
      isAdmin: S.bool(),
      status: S.str({ enum: ['active', 'invited', 'disabled'] }),
      departments: S.arr(named),
      roles: S.arr(named),
      createdAt: S.time(),
      updatedAt: S.time(),
    },
    ['id', 'email', 'username', 'name', 'isAdmin', 'status', 'departments', 'roles', 'createdAt', 'updatedAt'],
  ),
  Department: S.obj(
    {
      id: S.uuid(),
      name: S.str(),
      parentId: S.nullable(S.uuid()),
      headUserId: S.nullable(S.uuid()),
      depth: S.int({ description: '0 for a top-level department' }),
      childCount: S.int(),
      memberCount: S.int(),
      createdAt: S.time(),
      memberIds: S.arr(S.uuid(), { description: 'in the answers about one department' }),
    },
    ['id', 'name', 'parentId', 'headUserId', 'depth', 'childCount', 'memberCount', 'createdAt'],
  ),
  Role: S.obj(
    { id: S.uuid(), name: S.str(), memberCount: S.int(), createdAt: S.time(), memberIds: S.arr(S.uuid(), { description: 'in the answers about one role' }) },
    ['id', 'name', 'memberCount', 'createdAt'],
  ),
  AppAdmins: S.obj(
    {
      appId: S.uuid(),
      admins: S.arr(S.obj({ id: S.uuid(), name: S.str(), email: S.nullable(S.str()), username: S.nullable(S.str()) }, ['id', 'name', 'email', 'username'])),
    },
    ['appId', 'admins'],
  ),
  InviteResult: S.obj({ member: ref('Member'), inviteUrl: S.nullable(S.str()), inviteExpiresAt: S.nullable(S.time()) }, [
    'member',
    'inviteUrl',
    'inviteExpiresAt',
  ]),
  ResetResult: S.obj({ resetUrl: S.nullable(S.str()), expiresAt: S.nullable(S.time()), sessionsEnded: S.int() }, ['resetUrl', 'expiresAt', 'sessionsEnded']),
});
