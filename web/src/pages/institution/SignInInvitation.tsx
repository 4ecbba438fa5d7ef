// On a registrar's learner page: whether the learner can sign in, and the "Invite to sign in" action
// that shows a new activation code once, as a printable letter (and mails it, if asked).
import { useState } from 'react';
import { Alert, Button, Checkbox, Modal, Space, Tag, Typography } from 'antd';
import { MailOutlined, PrinterOutlined, UserAddOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate } from '../../format';
import { PreviewLetters, PrintableLetters, ShownOnceNote, type IssuedInvitations } from './InvitationLetters';

export function SignInInvitation({ learnerId, learnerName }: { learnerId: string; learnerName?: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const statusKey = ['learner-invitation', learnerId];
  const status = useQuery({
    queryKey: statusKey,
    queryFn: ({ signal }) => api.get('/learners/{id}/invitation', { params: { id: learnerId }, signal }),
  });
  const [asking, setAsking] = useState(false);
  const [sendMail, setSendMail] = useState(false);
  const [issued, setIssued] = useState<IssuedInvitations | null>(null);
  const invite = useMutation({
    mutationFn: () => api.post('/learners/{id}/invitations', { params: { id: learnerId }, body: { sendMail } }),
    onSuccess: (r) => {
      setAsking(false);
      setIssued({ institution: r.institution, activationUrl: r.activationUrl, items: [r.invitation], skipped: [] });
      void queryClient.invalidateQueries({ queryKey: statusKey });
      void queryClient.invalidateQueries({ queryKey: ['institution-learners'] });
    },
  });
  if (!status.data) return status.isError ? <ErrorAlert error={status.error} style={{ marginBottom: 12 }} /> : null;
  const s = status.data;
  const pending = s.pending && !s.pending.expired ? s.pending : null;
  return (
    <div style={{ marginBottom: 12 }} data-testid="sign-in-invitation">
      <Space wrap size={8}>
        {s.hasSignIn ? (
          <Tag color="success" data-testid="sign-in-state">
            {t('invitations.canSignIn')}
          </Tag>
        ) : (
          <>
            <Tag color="warning" data-testid="sign-in-state">
              {t('invitations.noSignIn')}
            </Tag>
            {pending && (
              <Typography.Text type="secondary" data-testid="invitation-pending">
                {pending.mailedTo
                  ? t('invitations.pendingMailed', { date: formatDate(pending.expiresAt), email: pending.mailedTo })
                  : t('invitations.pending', { date: formatDate(pending.expiresAt) })}
              </Typography.Text>
            )}
            <Button
              type="primary"
              icon={<UserAddOutlined />}
              onClick={() => {
                invite.reset();
                setSendMail(false);
                setAsking(true);
              }}
              data-testid="invite-open"
            >
              {pending ? t('invitations.inviteAgain') : t('invitations.invite')}
            </Button>
          </>
        )}
      </Space>
      <Modal
        open={asking}
        title={t('invitations.inviteTitle', { name: learnerName ?? '' })}
        okText={t('invitations.create')}
        onOk={() => invite.mutate()}
        confirmLoading={invite.isPending}
        onCancel={() => setAsking(false)}
        okButtonProps={{ 'data-testid': 'invite-confirm' } as ButtonProps}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('invitations.inviteExplain')}</Typography.Paragraph>
        {pending && <Alert type="info" showIcon message={t('invitations.replaces')} style={{ marginBottom: 12 }} />}
        {s.email ? (
          <Checkbox checked={sendMail} onChange={(e) => setSendMail(e.target.checked)} data-testid="invite-send-mail">
            <MailOutlined /> {t('invitations.alsoMail', { email: s.email })}
          </Checkbox>
        ) : (
          <Typography.Text type="secondary">{t('invitations.noEmail')}</Typography.Text>
        )}
        {invite.error && <ErrorAlert error={invite.error} style={{ marginTop: 12 }} />}
      </Modal>
      <Modal
        open={issued !== null}
        title={t('invitations.issuedTitle')}
        width={800}
        onCancel={() => setIssued(null)}
        footer={[
          <Button key="close" onClick={() => setIssued(null)} data-testid="invite-close">
            {t('invitations.close')}
          </Button>,
          <Button key="print" type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="invite-print">
            {t('invitations.print')}
          </Button>,
        ]}
      >
        {issued && (
          <PrintableLetters data={issued}>
            <ShownOnceNote />
            {issued.items[0]?.mailedTo && (
              <Alert type="success" showIcon message={t('invitations.mailed', { email: issued.items[0].mailedTo })} style={{ marginBottom: 12 }} />
            )}
            <div style={{ maxHeight: '60vh', overflow: 'auto', background: '#fafafa', padding: 8, borderRadius: 8 }}>
              <PreviewLetters data={issued} />
            </div>
          </PrintableLetters>
        )}
      </Modal>
    </div>
  );
}
