import { Image, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CellRenderer } from './cells';

interface FileRef {
  id: string;
  name?: string;
}

const filesOf = (value: unknown): FileRef[] =>
  (Array.isArray(value) ? value : [])
    .map((f) => (typeof f === 'string' ? { id: f } : (f as FileRef)))
    .filter((f): f is FileRef => !!f && typeof f.id === 'string');

const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;

/**
 * Pictures as small thumbnails (the server's 240 px WebP, shown at 32 px); a click opens the
 * full picture in antd's preview, where the arrows move through the field's pictures.
 */
export const ImageCell: CellRenderer = ({ value }) => <Thumbnails files={filesOf(value)} height={32} />;

/** A signature: its picture, a little wider than tall. */
export const SignatureCell: CellRenderer = ({ value }) => <Thumbnails files={filesOf(value).slice(0, 1)} height={32} width={80} />;

function Thumbnails({ files, height, width = height }: { files: FileRef[]; height: number; width?: number }) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Space size={4} wrap>
        {files.map((file, i) => (
          <Image
            key={file.id}
            src={`${fileUrl(file.id)}/thumbnail`}
            preview={{ src: fileUrl(file.id) }}
            alt={file.name ?? t('cells.picture', { n: i + 1 })}
            width={width}
            height={height}
            style={{ objectFit: 'contain', borderRadius: 4, background: '#fafafa' }}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}
