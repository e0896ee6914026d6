import { apiRequestOrThrow } from '../../../api/client';
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

const base = (entityId: Id) => `/entities/${encodeURIComponent(entityId)}/form/design`;

export function getDesignOrThrow(entityId: Id, signal?: AbortSignal): Promise<FormDesign> {
  return apiRequestOrThrow<FormDesign>(base(entityId), { signal });
}

export function saveDesignOrThrow(entityId: Id, body: { revision: number; document: DesignDocument }): Promise<FormDesign> {
  return apiRequestOrThrow<FormDesign>(base(entityId), { method: 'PUT', body });
}

export function previewDesignOrThrow(entityId: Id): Promise<DesignPreview> {
  return apiRequestOrThrow<DesignPreview>(`${base(entityId)}/preview`, { method: 'POST', body: {} });
}

export function publishDesignOrThrow(entityId: Id, revision: number): Promise<{ version: number; revision: number; entityVersion: number }> {
  return apiRequestOrThrow(`${base(entityId)}/publish`, { method: 'POST', body: { revision } });
}
