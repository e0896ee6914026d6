import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../../api/query-keys';
import type { Entity, Id } from '../../apps/api/apps.api';
import { listInboxOrThrow } from '../../inbox/api/inbox.api';
import {
  addCommentOrThrow,
  deleteCommentOrThrow,
  historyOrThrow,
  listCommentsOrThrow,
  memberFormOrNull,
  mentionableOrThrow,
  relatedOrThrow,
} from '../record-page.api';

export function useMemberForm(entity: Entity) {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: queryKeys.memberForm(entity.id, entity.version, i18n.language),
    queryFn: ({ signal }) => memberFormOrNull({ entityId: entity.id, locale: i18n.language, signal }),
    staleTime: 30_000,
  });
}

export function useRecordHistory(entityId: Id, recordId: Id) {
  return useQuery({ queryKey: queryKeys.recordHistory(entityId, recordId), queryFn: ({ signal }) => historyOrThrow({ entityId, recordId, signal }) });
}

export function useRecordComments(entityId: Id, recordId: Id) {
  return useQuery({
    queryKey: queryKeys.recordComments(entityId, recordId),
    queryFn: ({ signal }) => listCommentsOrThrow({ entityId, recordId, signal }),
    refetchInterval: 30_000,
  });
}

/** Members a comment here may @mention (who can read the record), searched on the server as the member types after `@`. */
export function useMentionable(entityId: Id, recordId: Id, q: string) {
  return useQuery({
    queryKey: [...queryKeys.recordComments(entityId, recordId), 'mentionable', q],
    queryFn: ({ signal }) => mentionableOrThrow({ entityId, recordId, q, signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useCommentActions(entityId: Id, recordId: Id) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.recordComments(entityId, recordId) });
  const add = useMutation({ mutationFn: (a: { body: string; mentions: string[] }) => addCommentOrThrow({ entityId, recordId, ...a }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (commentId: string) => deleteCommentOrThrow({ entityId, recordId, commentId }), onSuccess: refresh });
  return { add, remove };
}

/** One related list (关联查询), ten records a page; `fetchNextPage` follows the keyset cursor. */
export function useRelatedList(args: { entityId: Id; recordId: Id; source: Id; field: string }) {
  return useInfiniteQuery({
    queryKey: queryKeys.relatedList(args.entityId, args.recordId, args.source, args.field),
    queryFn: ({ pageParam, signal }) => relatedOrThrow({ ...args, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The record's workflow as it concerns me: my open task on it, and instances I started or was copied on. */
export function useRecordWorkflow(entityId: Id, recordId: Id) {
  const filters = { entityId: String(entityId), recordId: String(recordId) };
  const todo = useQuery({
    queryKey: queryKeys.inboxList('todo', filters),
    queryFn: ({ signal }) => listInboxOrThrow({ box: 'todo', filters, signal }),
  });
  const started = useQuery({
    queryKey: queryKeys.inboxList('started', filters),
    queryFn: ({ signal }) => listInboxOrThrow({ box: 'started', filters, signal }),
  });
  const cc = useQuery({
    queryKey: queryKeys.inboxList('cc', filters),
    queryFn: ({ signal }) => listInboxOrThrow({ box: 'cc', filters, signal }),
  });
  const taskId = todo.data?.items.find((i) => i.task)?.task?.id ?? null;
  const instanceIds = [...new Set([...(started.data?.items ?? []), ...(cc.data?.items ?? [])].map((i) => i.instanceId))];
  return { taskId, instanceIds, isPending: todo.isPending || started.isPending || cc.isPending };
}
