import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useProblemForm } from '../../../ui/useProblemForm';
import { acceptLinkOrThrow, type LinkKind } from '../api/auth.api';
import { AuthCard } from './AuthCard';

const FIELDS = ['password', 'token'] as const;
const MIN_PASSWORD = 8;

interface Values {
  password: string;
  confirm: string;
}

/** The page an invite or reset link opens: choose a password, then sign in with it. */
function SetPasswordPage({ kind }: { kind: LinkKind }) {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const [form] = Form.useForm<Values>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, FIELDS);
  const [submitting, setSubmitting] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function submit(values: Values) {
    setSubmitting(true);
    clearProblem();
    try {
      const account = await acceptLinkOrThrow({ kind, token, password: values.password });
      setDone(account.email ?? account.username ?? '');
    } catch (error) {
      showProblem(error);
    } finally {
      setSubmitting(false);
    }
  }

  const title = kind === 'invite' ? t('auth.inviteTitle') : t('auth.resetTitle');
  if (done !== null) {
    return (
      <AuthCard title={title}>
        <Alert
          type="success"
          showIcon
          title={t('auth.passwordSet')}
          description={done ? t('auth.passwordSetFor', { account: done }) : undefined}
          style={{ marginBottom: 16 }}
        />
        <Link to="/sign-in">
          <Button type="primary" block>
            {t('auth.goToSignIn')}
          </Button>
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={title} subtitle={kind === 'invite' ? t('auth.inviteHint') : t('auth.resetHint')}>
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} onValuesChange={clearProblem}>
        <Form.Item
          name="password"
          label={t('auth.newPassword')}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            { min: MIN_PASSWORD, message: t('auth.passwordTooShort', { min: MIN_PASSWORD }) },
          ]}
        >
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) => (value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordsDiffer')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {formError && <Alert role="alert" type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t('auth.setPassword')}
        </Button>
      </Form>
    </AuthCard>
  );
}

export const AcceptInvitePage = () => <SetPasswordPage kind="invite" />;
export const ResetPasswordPage = () => <SetPasswordPage kind="reset" />;
