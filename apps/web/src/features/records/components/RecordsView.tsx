import { EmptyState } from '../../../ui/EmptyState';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { Loading } from '../../../ui/Loading';
import type { Id } from '../../apps/api/apps.api';
import { useEntity } from '../../apps/hooks/useEntity';
import { useRecordPages } from '../hooks/useRecordPages';
import { Pagination } from './Pagination';
import { RecordsTable } from './RecordsTable';

const PAGE_SIZE = 20;

interface RecordsViewProps {
  entityId: Id;
}

/** The records of one entity, a page at a time. Mount with `key={entityId}` so paging restarts per entity. */
export function RecordsView({ entityId }: RecordsViewProps) {
  const entity = useEntity(entityId);
  const pages = useRecordPages({ entityId, pageSize: PAGE_SIZE });

  if (entity.error) return <ErrorMessage error={entity.error} onRetry={entity.reload} />;
  if (!entity.data) return <Loading />;

  const records = pages.page.data?.items;
  return (
    <section className="records" aria-labelledby="records-title">
      <header className="records__header">
        <h2 id="records-title">{entity.data.name}</h2>
      </header>
      {pages.page.error && <ErrorMessage error={pages.page.error} onRetry={pages.page.reload} />}
      {records === undefined ? (
        !pages.page.error && <Loading label="Loading records…" />
      ) : records.length === 0 && pages.pageNumber === 1 ? (
        <EmptyState title="No records yet">
          <p>Records added to {entity.data.name} will show up here.</p>
        </EmptyState>
      ) : (
        <>
          <RecordsTable entity={entity.data} records={records} busy={pages.page.loading} />
          <Pagination
            pageNumber={pages.pageNumber}
            hasPrevious={pages.hasPrevious}
            hasNext={pages.hasNext}
            onPrevious={pages.goPrevious}
            onNext={pages.goNext}
          />
        </>
      )}
    </section>
  );
}
