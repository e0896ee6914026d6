import { FileOutlined, FilePdfOutlined } from '@ant-design/icons';
import { App as AntdApp, Button, Card, Empty, Flex, Image, List, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Entity } from '../../../apps/api/apps.api';
import type { RecordRow } from '../../records.api';

interface FileRef {
  id: string;
  name: string;
  mime: string;
  size: number;
}

const FILE_TYPES = new Set(['attachment', 'image', 'signature']);
const url = (id: string) => `/api/files/${encodeURIComponent(id)}`;

const filesOf = (value: unknown): FileRef[] =>
  (Array.isArray(value) ? value : value ? [value] : [])
    .map((f) => (typeof f === 'string' ? { id: f, name: f, mime: '', size: 0 } : (f as FileRef)))
    .filter((f) => !!f && typeof f.id === 'string');

const isImage = (f: FileRef) => f.mime.startsWith('image/');
const isPdf = (f: FileRef) => f.mime === 'application/pdf' || f.name.toLowerCase().endsWith('.pdf');

function size(bytes: number, lang: string): string {
  if (!bytes) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  const i = Math.min(units.length - 1, Math.floor(Math.log(bytes) / Math.log(1024)));
  return `${(bytes / 1024 ** i).toLocaleString(lang, { maximumFractionDigits: 1 })} ${units[i]}`;
}

/** The record's files by field: pictures inline (a click enlarges them), PDFs open in a new tab, other files download. */
export function RecordAttachments({ entity, record }: { entity: Entity; record: RecordRow }) {
  const { t, i18n } = useTranslation();
  const groups = entity.fields
    .filter((f) => FILE_TYPES.has(f.type) && Object.hasOwn(record, f.key))
    .map((field) => ({ field, files: filesOf(record[field.key]) }))
    .filter((g) => g.files.length > 0);
  if (!groups.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recordPage.files.none')} />;
  return (
    <Flex vertical gap={12}>
      {groups.map(({ field, files }) => {
        const images = files.filter(isImage);
        const others = files.filter((f) => !isImage(f));
        return (
          <Card key={field.key} size="small" title={field.label}>
            {images.length > 0 && (
              <Image.PreviewGroup>
                <Flex gap={8} wrap style={{ marginBottom: others.length ? 12 : 0 }}>
                  {images.map((f) => (
                    <Image
                      key={f.id}
                      src={`${url(f.id)}/thumbnail`}
                      preview={{ src: url(f.id) }}
                      alt={f.name}
                      width={120}
                      height={120}
                      style={{ objectFit: 'cover' }}
                    />
                  ))}
                </Flex>
              </Image.PreviewGroup>
            )}
            {others.length > 0 && (
              <List
                size="small"
                dataSource={others}
                renderItem={(f) => (
                  <List.Item>
                    <Flex gap={8} align="center" wrap>
                      {isPdf(f) ? <FilePdfOutlined aria-hidden /> : <FileOutlined aria-hidden />}
                      {isPdf(f) ? (
                        <PdfPreview file={f} />
                      ) : (
                        <Typography.Link href={url(f.id)} download={f.name}>
                          {t('recordPage.files.download', { name: f.name })}
                        </Typography.Link>
                      )}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {size(f.size, i18n.language)}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </Card>
        );
      })}
    </Flex>
  );
}

/**
 * A PDF opened in a dialog: the API sends every file as a download, so the bytes are read into a
 * blob of type application/pdf that the browser's own viewer shows in a frame.
 */
function PdfPreview({ file }: { file: FileRef }) {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const [src, setSrc] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => () => void (src && URL.revokeObjectURL(src)), [src]);
  const open = async () => {
    setLoading(true);
    try {
      const res = await fetch(url(file.id), { credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      setSrc(URL.createObjectURL(new Blob([await res.blob()], { type: 'application/pdf' })));
    } catch {
      message.error(t('recordPage.files.openFailed', { name: file.name }));
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <Button type="link" size="small" style={{ padding: 0 }} loading={loading} onClick={() => void open()}>
        {t('recordPage.files.openPdf', { name: file.name })}
      </Button>
      <Modal
        open={!!src}
        title={file.name}
        width="min(960px, 96vw)"
        footer={
          <Typography.Link href={url(file.id)} download={file.name}>
            {t('recordPage.files.download', { name: file.name })}
          </Typography.Link>
        }
        onCancel={() => setSrc(null)}
        closable={{ 'aria-label': t('common.close') }}
      >
        {src && <iframe title={file.name} src={src} style={{ width: '100%', height: '70vh', border: 0 }} />}
      </Modal>
    </>
  );
}
