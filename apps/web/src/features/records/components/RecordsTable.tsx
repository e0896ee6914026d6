import type { Entity } from '../../apps/api/apps.api';
import { formatDateTime } from '../../fields/format-value';
import { FieldCell } from '../../fields/components/FieldCell';
import type { RecordRow } from '../api/records.api';

interface RecordsTableProps {
  entity: Entity;
  records: RecordRow[];
  busy: boolean;
}

export function RecordsTable({ entity, records, busy }: RecordsTableProps) {
  return (
    <div className="table-scroll">
      <table className="records-table" aria-busy={busy}>
        <caption className="visually-hidden">{entity.name}</caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            {entity.fields.map((field) => (
              <th scope="col" key={field.key} data-type={field.type}>
                {field.label}
              </th>
            ))}
            <th scope="col">Updated at</th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <tr key={record.id}>
              <th scope="row" className="cell-id">
                #{record.id}
              </th>
              {entity.fields.map((field) => (
                <td key={field.key} data-type={field.type}>
                  <FieldCell field={field} value={record[field.key]} />
                </td>
              ))}
              <td>
                <time dateTime={record.updatedAt}>{formatDateTime({ value: record.updatedAt })}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
