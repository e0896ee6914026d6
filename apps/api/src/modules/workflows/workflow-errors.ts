import { type GraphIssue, WorkflowError } from '@crm/workflow';
import { AppError } from '../../common/errors';

/** A graph issue as a problem-details `errors` entry: a pointer to the node or edge, the code, the message in the caller's language. */
export function issueOf(i: GraphIssue, locale: 'en' | 'zh-CN' = 'en') {
  const base = i.nodeId ? `/nodes/${i.nodeId}` : i.edgeId ? `/edges/${i.edgeId}` : '';
  return { path: `${base}${i.path ?? ''}` || '/', code: i.code, message: i.message[locale] };
}

const RESERVED = new Set(['type', 'title', 'status', 'code', 'detail', 'errors', 'requestId']);

/**
 * The package's refusals in API form: graph problems keep their node/edge ids and both
 * languages in `problems` (the designer shows them on the nodes) beside the usual `errors`.
 */
export function fromWorkflowError(err: unknown, locale: 'en' | 'zh-CN' = 'en'): unknown {
  if (!(err instanceof WorkflowError)) return err;
  // Detail keys beside the problem's own fields (a version's `status` must not replace the HTTP status).
  const extra: Record<string, unknown> = Object.fromEntries(Object.entries(err.details ?? {}).filter(([k]) => !RESERVED.has(k)));
  if (err.details && Object.keys(err.details).some((k) => RESERVED.has(k))) extra.details = err.details;
  if (err.issues) {
    extra.errors = err.issues.map((i) => issueOf(i, locale));
    extra.problems = err.issues;
  }
  return new AppError(err.code, err.message, extra);
}

/** Runs fn, answering a WorkflowError as the API error of its code. */
export async function mapWorkflowErrors<T>(fn: () => Promise<T>, locale?: 'en' | 'zh-CN'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromWorkflowError(err, locale);
  }
}
