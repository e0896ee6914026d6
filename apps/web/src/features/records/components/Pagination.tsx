interface PaginationProps {
  pageNumber: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
}

export function Pagination({ pageNumber, hasPrevious, hasNext, onPrevious, onNext }: PaginationProps) {
  return (
    <nav className="pagination" aria-label="Pagination">
      <button type="button" className="button" onClick={onPrevious} disabled={!hasPrevious}>
        Previous page
      </button>
      <span className="pagination__page" aria-live="polite">
        Page {pageNumber}
      </span>
      <button type="button" className="button" onClick={onNext} disabled={!hasNext}>
        Next page
      </button>
    </nav>
  );
}
