import type { RequestContext } from '../../common/request-context';
import type { EntityAccess } from '../access/access.service';
import type { CompiledEntity } from '../entities/entity-runtime.service';

/** What an import writes into: the member's context, the entity, their access to it, the import. */
export interface WriteTarget {
  ctx: RequestContext;
  c: CompiledEntity;
  acc: EntityAccess<CompiledEntity>;
  importId: string;
  /** All or nothing: journal every write for the undo, and stop at the first row the pipeline refuses. */
  undoable: boolean;
}
