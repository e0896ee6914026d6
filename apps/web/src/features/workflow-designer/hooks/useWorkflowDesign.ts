import type { WorkflowGraph } from '@crm/workflow';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import { createWorkflowOrThrow, getVersionOrThrow, getWorkflowOrThrow, listWorkflowsOrThrow, publishOrThrow, saveDraftOrThrow } from '../api/workflows.api';

/** The workflow being designed: its draft (with the server's problems) and version list. */
export function useWorkflow(workflowId: string) {
  return useQuery({ queryKey: queryKeys.workflow(workflowId), queryFn: ({ signal }) => getWorkflowOrThrow({ workflowId, signal }), staleTime: Infinity });
}

export function useWorkflows(entityId: string) {
  return useQuery({ queryKey: queryKeys.entityWorkflows(entityId), queryFn: ({ signal }) => listWorkflowsOrThrow(entityId, signal) });
}

export function useCreateWorkflow(entityId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createWorkflowOrThrow,
    onSuccess: (detail) => {
      queryClient.setQueryData(queryKeys.workflow(detail.id), detail);
      return queryClient.invalidateQueries({ queryKey: queryKeys.entityWorkflows(entityId) });
    },
  });
}

export function useWorkflowVersion(args: { workflowId: string; version: number | null }) {
  return useQuery({
    queryKey: queryKeys.workflowVersion(args.workflowId, args.version ?? 0),
    queryFn: ({ signal }) => getVersionOrThrow({ workflowId: args.workflowId, version: args.version!, signal }),
    enabled: args.version !== null,
  });
}

export function useSaveDraft(workflowId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (graph: WorkflowGraph) => saveDraftOrThrow({ workflowId, graph }),
    onSuccess: (detail) => queryClient.setQueryData(queryKeys.workflow(workflowId), detail),
  });
}

export function usePublish(workflowId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => publishOrThrow({ workflowId }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.workflow(workflowId) }),
  });
}
