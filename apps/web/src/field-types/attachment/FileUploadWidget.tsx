import { UploadOutlined } from '@ant-design/icons';
import type { WidgetProps } from '@rjsf/utils';
import { Button, Typography, Upload, type UploadFile } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fileRefusal, filesOfValue, type StoredFile, uploadFile, uploadProblemText } from '../shared/upload';

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;

function toUploadFile(f: StoredFile, picture: boolean): UploadFile {
  return {
    uid: f.id,
    name: f.name,
    size: f.size,
    status: 'done',
    url: fileUrl(f.id),
    thumbUrl: picture ? `${fileUrl(f.id)}/thumbnail` : undefined,
  };
}

/** Attachments: the files upload one by one to POST /api/files with a progress bar; the value is their `{ id, name, size, mime }`. */
export const AttachmentWidget = (props: WidgetProps) => <FileUploadWidget {...props} picture={false} />;

/** Images: the same uploads, limited to picture formats, shown as thumbnails (the server's 240 px WebP). */
export const ImageWidget = (props: WidgetProps) => <FileUploadWidget {...props} picture />;

function FileUploadWidget({ id, value, onChange, disabled, readonly, label, options, schema, picture }: WidgetProps & { picture: boolean }) {
  const { t } = useTranslation();
  const stored = filesOfValue(value);
  const maxFiles = Number(options.maxFiles ?? schema.maxItems ?? (picture ? 9 : 10));
  const accept = picture ? IMAGE_TYPES : ((options.accept as string[] | undefined) ?? undefined);
  const latest = useRef<unknown>(value);
  latest.current = value;
  const [pending, setPending] = useState<UploadFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const list = [...stored.map((f) => toUploadFile(f, picture)), ...pending];
  const busy = disabled || readonly;
  const patch = (uid: string, change: Partial<UploadFile> | null) =>
    setPending((p) => (change ? p.map((f) => (f.uid === uid ? { ...f, ...change } : f)) : p.filter((f) => f.uid !== uid)));

  const start = (file: File & { uid: string }) => {
    const refused = fileRefusal({ file, count: stored.length + pending.length, maxFiles, accept });
    if (refused) {
      setProblem(refused.key === 'tooMany' ? t('widgets.tooManyFiles', { max: refused.max }) : t('widgets.badFileType', { name: file.name }));
      return false;
    }
    setProblem(null);
    setPending((p) => [...p, { uid: file.uid, name: file.name, size: file.size, status: 'uploading', percent: 0 }]);
    uploadFile({ file, name: file.name, onProgress: (percent) => patch(file.uid, { percent }) })
      .then((saved) => {
        patch(file.uid, null);
        onChange([...filesOfValue(latest.current), saved]);
      })
      .catch((err: unknown) => {
        const message = uploadProblemText(err, t);
        patch(file.uid, { status: 'error', response: message });
        setProblem(t('widgets.uploadFailed', { name: file.name, message }));
      });
    return false;
  };
  return (
    <div>
      <Upload
        id={id}
        aria-label={label}
        listType={picture ? 'picture-card' : 'text'}
        multiple={maxFiles > 1}
        accept={accept?.join(',')}
        disabled={busy}
        fileList={list}
        beforeUpload={(file) => start(file as File & { uid: string })}
        onRemove={(f) => {
          if (pending.some((p) => p.uid === f.uid)) patch(f.uid, null);
          else onChange(stored.filter((s) => s.id !== f.uid));
          return false;
        }}
        showUploadList={{ showDownloadIcon: false, showPreviewIcon: picture }}
        onPreview={(f) => f.url && window.open(f.url, '_blank', 'noopener')}
      >
        {list.length < maxFiles &&
          (picture ? (
            <button type="button" aria-label={t('widgets.addImage', { field: label })} disabled={busy} style={{ border: 0, background: 'none' }}>
              <UploadOutlined aria-hidden />
              <div>{t('widgets.addImageShort')}</div>
            </button>
          ) : (
            <Button icon={<UploadOutlined aria-hidden />} disabled={busy} aria-label={t('widgets.addFile', { field: label })}>
              {t('widgets.addFileShort')}
            </Button>
          ))}
      </Upload>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {t('widgets.fileLimits', { max: maxFiles, types: picture ? 'PNG, JPEG, GIF, WebP' : accept?.length ? accept.join(', ') : t('widgets.anyType') })}
      </Typography.Text>
      {problem && (
        <Typography.Text type="danger" role="alert" style={{ display: 'block' }}>
          {problem}
        </Typography.Text>
      )}
    </div>
  );
}
