import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { InstanceView } from './InstanceView';
import { TaskView } from './TaskView';

function Back() {
  const { t } = useTranslation();
  return (
    <Link to="/inbox" style={{ display: 'inline-block', marginBottom: 12 }}>
      <ArrowLeftOutlined aria-hidden /> {t('inbox.back')}
    </Link>
  );
}

/** Route /inbox/tasks/:taskId. */
export function TaskPage() {
  const { taskId = '' } = useParams();
  const navigate = useNavigate();
  return (
    <>
      <Back />
      <TaskView taskId={taskId} onDone={() => navigate('/inbox')} />
    </>
  );
}

/** Route /inbox/instances/:instanceId. */
export function InstancePage() {
  const { instanceId = '' } = useParams();
  return (
    <>
      <Back />
      <InstanceView instanceId={instanceId} />
    </>
  );
}
