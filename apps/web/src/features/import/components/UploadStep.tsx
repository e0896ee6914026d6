import { InboxOutlined } from '@ant-design/icons';
import { Alert, Flex, Select, Typography, Upload } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText } from '../../../ui/problem';
import type { Id } from '../../apps/api/apps.api';
import { type ImportSession, uploadImportOrThrow } from '../import.api';

const ENCODINGS = ['auto', 'utf-8', 'gb18030', 'gbk', 'big5', 'utf-16le', 'windows-1252', 'shift_jis'] as const;

/** Step 1: choose the file (and, when the guess is wrong, its encoding); the server reads its header. */
export function UploadStep({ entityId, onUploaded }: { entityId: Id; onUploaded: (s: ImportSession) => void }) {
  const { t } = useTranslation();
  const [encoding, setEncoding] = useState<string>('auto');
  const upload = useMutation({ mutationFn: (file: File) => uploadImportOrThrow({ entityId, file, encoding }), onSuccess: onUploaded });
  return (
    <Flex vertical gap={16}>
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending}
        beforeUpload={(file) => {
          upload.mutate(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <Typography.Text>{upload.isPending ? t('imports.uploading') : t('imports.dropHint')}</Typography.Text>
        <br />
        <Typography.Text type="secondary">{t('imports.formats', { formats: '.csv, .xlsx' })}</Typography.Text>
      </Upload.Dragger>
      <Flex align="center" gap={8}>
        <label htmlFor="import-encoding">{t('imports.encoding')}</label>
        <Select
          id="import-encoding"
          style={{ width: 200 }}
          value={encoding}
          onChange={setEncoding}
          options={ENCODINGS.map((e) => ({ value: e, label: e === 'auto' ? t('imports.encodingAuto') : e }))}
        />
      </Flex>
      {upload.isError && <Alert type="error" showIcon title={problemText(upload.error, t)} />}
    </Flex>
  );
}
