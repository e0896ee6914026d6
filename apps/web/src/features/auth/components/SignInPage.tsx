import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { queryKeys } from '../../../api/query-keys';
import { useProblemForm } from '../../../ui/useProblemForm';
import { loginOrThrow, type Credentials } from '../api/auth.api';
import { safeNext } from '../safe-next';
import { useSession } from '../hooks/useSession';
import { AuthCard } from './AuthCard';

const FIELDS = ['email', 'password'] as const;

export function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Credentials>();
  const { formError, showProblem, clearProblem } = useProblemForm(form, FIELDS);
  const [submitting, setSubmitting] = useState(false);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const next = safeNext(params.get('next'));

  if (session.data) return <Navigate to={next} replace />;

  async function submit(values: Credentials) {
    setSubmitting(true);
    clearProblem();
    try {
      const signedIn = await loginOrThrow({ email: values.email.trim(), password: values.password });
      queryClient.setQueryData(queryKeys.session(), signedIn);
      navigate(next, { replace: true });
    } catch (error) {
      showProblem(error);
      setSubmitting(false);
    }
  }

  return (
    <AuthCard title={t('auth.signInTitle')} subtitle={t('auth.signInHint')}>
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} onValuesChange={clearProblem}>
        <Form.Item name="email" label={t('auth.email')} rules={[{ required: true, message: t('auth.emailRequired') }]}>
          <Input autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {formError && <Alert role="alert" type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t('auth.signIn')}
        </Button>
      </Form>
    </AuthCard>
  );
}
