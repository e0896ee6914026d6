interface ErrorMessageProps {
  error: Error;
  onRetry?: () => void;
}

/** An error announced to assistive technology, with an optional retry. */
export function ErrorMessage({ error, onRetry }: ErrorMessageProps) {
  return (
    <div className="error-message" role="alert">
      <span>{error.message}</span>
      {onRetry && (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
