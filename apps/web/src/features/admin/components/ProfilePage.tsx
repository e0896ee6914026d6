import { Alert, App as AntdApp, Button, Card, Descriptions, Form, Input, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../../../i18n/i18n';
import { isLanguage, LANGUAGES, type Language } from '../../../i18n/languages';
import { useProblemForm } from '../../../ui/useProblemForm';
import { changePasswordOrThrow } from '../../auth/api/auth.api';
import { useSignedInSession } from '../../auth/hooks/useSession';
import { useUpdateProfile } from '../../auth/hooks/useUpdateProfile';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

const PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;
const MIN_PASSWORD = 8;

/** 个人设置: who I am, my name and language (kept on my profile), my password. */
export function ProfilePage() {
  const { t } = useTranslation();
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
            { key: 'email', label: t('auth.email'), children: session.user.email },
            { key: 'workspace', label: t('profile.workspace'), children: session.workspace.name },
          ]}
        />
        <ProfileForm />
      </Card>
      <PasswordCard />
    </Space>
  );
}

const PROFILE_FIELDS = ['name', 'language'] as const;

function ProfileForm() {
  const { t, i18n } = useTranslation();
  const { message } = AntdApp.useApp();
  const session = useSignedInSession();
  const [form] = Form.useForm<{ name: string }>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, PROFILE_FIELDS);
  const update = useUpdateProfile();

  async function save(body: { name?: string; language?: Language }) {
    clearProblem();
    try {
      await update.mutateAsync(body);
      void message.success(t('profile.saved'));
    } catch (error) {
      showProblem(error);
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      style={{ marginTop: 16 }}
      initialValues={{ name: session.user.name }}
      onFinish={(v) => void save({ name: v.name.trim() })}
    >
      <Form.Item name="name" label={t('profile.name')} rules={[{ required: true, whitespace: true, message: t('profile.nameRequired') }, { max: 200 }]}>
        <Input style={{ maxWidth: 320 }} autoComplete="name" />
      </Form.Item>
      <Form.Item>
        <Button htmlType="submit" loading={update.isPending && update.variables?.name !== undefined}>
          {t('profile.saveName')}
        </Button>
      </Form.Item>
      <Form.Item label={t('profile.language')} htmlFor="profile-language" extra={t('profile.languageHint')}>
        <Select
          id="profile-language"
          value={i18n.language}
          style={{ maxWidth: 240 }}
          options={LANGUAGES.map((language) => ({ value: language, label: t(`language.${language}`) }))}
          onChange={(value: string) => {
            if (!isLanguage(value)) return;
            void changeLanguage(value);
            void save({ language: value });
          }}
        />
      </Form.Item>
      {formError && <Alert role="alert" type="error" showIcon title={formError} />}
    </Form>
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
