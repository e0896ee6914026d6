import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import {
  commentOrThrow,
  decideTaskOrThrow,
  editTaskRecordOrThrow,
  getInstanceOrThrow,
  getTaskOrThrow,
  inboxCountsOrThrow,
  instanceActionOrThrow,
  listInboxOrThrow,
  listNotificationsOrThrow,
  markNotificationsReadOrThrow,
  type InboxBox,
  type InboxFilters,
} from '../api/inbox.api';

export function useInbox(box: InboxBox, filters: InboxFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.inboxList(box, { ...filters }),
    queryFn: ({ pageParam, signal }) => listInboxOrThrow({ box, filters, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Badge numbers (to do, cc, started, unread); refreshed every half minute and after every decision. */
export function useInboxCounts() {
  return useQuery({ queryKey: queryKeys.inboxCounts(), queryFn: ({ signal }) => inboxCountsOrThrow(signal), refetchInterval: 30_000 });
}

export function useTask(taskId: string | undefined) {
  return useQuery({ queryKey: queryKeys.task(taskId ?? ''), queryFn: ({ signal }) => getTaskOrThrow(taskId!, signal), enabled: Boolean(taskId) });
}

export function useInstance(instanceId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.instance(instanceId ?? ''),
    queryFn: ({ signal }) => getInstanceOrThrow(instanceId!, signal),
    enabled: Boolean(instanceId),
  });
}

/** After any decision, edit or comment: every inbox list, count, task and instance may have moved. */
function useInvalidateInbox() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.inbox() });
}

export function useDecideTask() {
  const invalidate = useInvalidateInbox();
  return useMutation({ mutationFn: decideTaskOrThrow, onSettled: invalidate });
}

export function useInstanceAction() {
  const invalidate = useInvalidateInbox();
  return useMutation({ mutationFn: instanceActionOrThrow, onSettled: invalidate });
}

export function useEditTaskRecord() {
  const invalidate = useInvalidateInbox();
  return useMutation({ mutationFn: editTaskRecordOrThrow, onSuccess: invalidate });
}

export function useComment() {
  const invalidate = useInvalidateInbox();
  return useMutation({ mutationFn: commentOrThrow, onSuccess: invalidate });
}

export function useNotifications(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.notifications(), queryFn: ({ signal }) => listNotificationsOrThrow(signal), enabled });
}

export function useMarkNotificationsRead() {
  const invalidate = useInvalidateInbox();
  return useMutation({ mutationFn: markNotificationsReadOrThrow, onSuccess: invalidate });
}
