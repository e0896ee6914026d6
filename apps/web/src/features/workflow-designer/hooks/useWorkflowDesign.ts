import type { WorkflowGraph } from '@crm/workflow';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../../api/query-keys';
import { getVersionOrThrow, getWorkflowOrThrow, publishOrThrow, saveDraftOrThrow } from '../api/workflows.api';

/** The workflow being designed: its draft (with the server's problems) and version list. */
export function useWorkflow(args: { workflowId: string; entityId: string }) {
  return useQuery({ queryKey: queryKeys.workflow(args.workflowId), queryFn: () => getWorkflowOrThrow(args), staleTime: Infinity });
}

export function useWorkflowVersion(args: { workflowId: string; version: number | null }) {
  return useQuery({
    queryKey: queryKeys.workflowVersion(args.workflowId, args.version ?? 0),
    queryFn: () => getVersionOrThrow({ workflowId: args.workflowId, version: args.version! }),
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
