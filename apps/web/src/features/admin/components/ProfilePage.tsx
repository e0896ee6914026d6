import { Alert, App as AntdApp, Button, Card, Descriptions, Form, Input, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../../../i18n/i18n';
import { isLanguage, LANGUAGES } from '../../../i18n/languages';
import { useProblemForm } from '../../../ui/useProblemForm';
import { changePasswordOrThrow } from '../../auth/api/auth.api';
import { useSignedInSession } from '../../auth/hooks/useSession';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;
const MIN_PASSWORD = 8;

/** 个人设置: who I am, my language, my password. */
export function ProfilePage() {
  const { t, i18n } = useTranslation();
  const session = useSignedInSession();

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 640, margin: '0 auto', display: 'flex' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('profile.title')}
      </Typography.Title>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('profile.account')}</h2>}>
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'name', label: t('profile.name'), children: session.user.name },
            { key: 'email', label: t('auth.email'), children: session.user.email },
            { key: 'workspace', label: t('profile.workspace'), children: session.workspace.name },
          ]}
        />
        <Form layout="vertical" style={{ marginTop: 16 }}>
          <Form.Item label={t('profile.language')} htmlFor="profile-language" extra={t('profile.languageHint')}>
            <Select
              id="profile-language"
              value={i18n.language}
              style={{ maxWidth: 240 }}
              options={LANGUAGES.map((language) => ({ value: language, label: t(`language.${language}`) }))}
              onChange={(value: string) => {
                if (isLanguage(value)) void changeLanguage(value);
              }}
            />
          </Form.Item>
        </Form>
      </Card>
      <PasswordCard />
    </Space>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const { message } = AntdApp.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const codeFields = useMemo(() => ({ INVALID_CREDENTIALS: { field: 'currentPassword', message: t('profile.currentPasswordWrong') } }), [t]);
  const { formError, showProblem, clearProblem } = useProblemForm(form, PASSWORD_FIELDS, codeFields);
  const [saving, setSaving] = useState(false);

  async function submit(values: PasswordValues) {
    setSaving(true);
    clearProblem();
    try {
      await changePasswordOrThrow({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      form.resetFields();
      void message.success(t('profile.passwordChanged'));
    } catch (error) {
      showProblem(error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('profile.changePassword')}</h2>}>
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} onValuesChange={clearProblem} style={{ maxWidth: 360 }}>
        <Form.Item name="currentPassword" label={t('profile.currentPassword')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('auth.newPassword')}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            { min: MIN_PASSWORD, message: t('auth.passwordTooShort', { min: MIN_PASSWORD }) },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) => (value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordsDiffer')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {formError && <Alert role="alert" type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" loading={saving}>
          {t('profile.savePassword')}
        </Button>
      </Form>
    </Card>
  );
}
