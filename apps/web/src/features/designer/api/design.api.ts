import { api, callOrThrow } from '../../../api/client';
import type { Id } from '../../apps/api/apps.api';
import type { DesignDocument } from '../model/design-state';

/** GET/PUT …/form/design (docs/forms.md, "Designer drafts"). */
export interface FormDesign {
  entityId: string;
  entityVersion: number;
  revision: number;
  saved: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
  publishedKeys: string[];
  document: DesignDocument;
}

export interface DesignProblem {
  path: string;
  code: string;
  message: string;
  field?: string;
  rowCount?: number;
  sampleIds?: number[];
}

interface FieldRef {
  key: string;
  label: string;
  type: string;
}

export interface DesignPreview {
  revision: number;
  added: FieldRef[];
  removed: FieldRef[];
  renamed: { key: string; from: string; to: string }[];
  typeChanged: (FieldRef & { from: string; to: string; check: DesignProblem | null })[];
  changed: (Omit<FieldRef, 'type'> & { what: string[]; check: DesignProblem | null })[];
  problems: DesignProblem[];
  publishable: boolean;
}

const path = (entityId: Id) => ({ path: { entityId: String(entityId) } });

export function getDesignOrThrow(entityId: Id, signal?: AbortSignal): Promise<FormDesign> {
  return callOrThrow(api.GET('/api/entities/{entityId}/form/design', { params: path(entityId), signal })) as Promise<unknown> as Promise<FormDesign>;
}

export function saveDesignOrThrow(entityId: Id, body: { revision: number; document: DesignDocument }): Promise<FormDesign> {
  return callOrThrow(
    api.PUT('/api/entities/{entityId}/form/design', { params: path(entityId), body: body as never }),
  ) as Promise<unknown> as Promise<FormDesign>;
}

export function previewDesignOrThrow(entityId: Id): Promise<DesignPreview> {
  return callOrThrow(api.POST('/api/entities/{entityId}/form/design/preview', { params: path(entityId) })) as Promise<unknown> as Promise<DesignPreview>;
}

export function publishDesignOrThrow(entityId: Id, revision: number): Promise<{ version: number; revision: number; entityVersion: number }> {
  return callOrThrow(
    api.POST('/api/entities/{entityId}/form/design/publish', { params: path(entityId), body: { revision } as never }),
  ) as Promise<unknown> as Promise<{ version: number; revision: number; entityVersion: number }>;
}
