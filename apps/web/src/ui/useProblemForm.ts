import type { FormInstance } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { problemText, splitFieldProblems } from './problem';

/** Problems without an `errors` list that still are about one field (DUPLICATE_KEY → key), with an optional text of their own. */
export type CodeFields = Record<string, { field: string; message?: string }>;

/**
 * Shows a server problem on an antd Form: each `errors[]` entry that names a field of the form
 * goes under that field; the problem's own text (and entries for nothing on the form) go into
 * `formError`, which the caller renders as an alert above the buttons.
 */
export function useProblemForm<T>(form: FormInstance<T>, fields: readonly string[], codeFields: CodeFields = {}) {
  const { t } = useTranslation();
  const [formError, setFormError] = useState<string | null>(null);

  const showProblem = useCallback(
    (error: unknown) => {
      const byCode = error instanceof ApiError && error.errors.length === 0 ? codeFields[error.code] : undefined;
      if (byCode) {
        form.setFields([{ name: byCode.field as never, errors: [byCode.message ?? problemText(error, t)] }]);
        setFormError(null);
        return;
      }
      const { byField, rest } = splitFieldProblems({ error, fields });
      form.setFields(byField.map((entry) => ({ name: entry.name as never, errors: entry.errors })));
      const summary = byField.length > 0 && rest.length === 0 ? null : [problemText(error, t), ...rest].join(' ');
      setFormError(summary);
    },
    [form, fields, codeFields, t],
  );

  const clearProblem = useCallback(() => setFormError(null), []);
  return { formError, showProblem, clearProblem };
}
