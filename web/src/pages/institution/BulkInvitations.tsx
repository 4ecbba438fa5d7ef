// On the learners list: print invitations to sign in for the selected learners, or for every learner
// of the institution without a sign-in. The codes are answered once, as a sheet of letters to print.
import { useState } from 'react';
import { Alert, Button, Checkbox, Modal, Radio, Space, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PreviewLetters, PrintableLetters, ShownOnceNote, type IssuedInvitations } from './InvitationLetters';

export function BulkInvitations({ institutionId, selected, onDone }: { institutionId: string; selected: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [which, setWhich] = useState<'selected' | 'all'>('all');
  const [sendMail, setSendMail] = useState(false);
  const [issued, setIssued] = useState<IssuedInvitations | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      api.post('/institutions/{id}/invitations', {
        params: { id: institutionId },
        body: which === 'selected' ? { learnerIds: selected, sendMail } : { allWithoutSignIn: true, sendMail },
      }),
    onSuccess: (r) => {
      setAsking(false);
      setIssued(r);
      onDone();
      void queryClient.invalidateQueries({ queryKey: ['institution-learners'] });
      void queryClient.invalidateQueries({ queryKey: ['learner-invitation'] });
    },
  });
  const mailed = issued?.items.filter((i) => i.mailedTo).length ?? 0;
  return (
    <>
      <Button
        icon={<PrinterOutlined />}
        onClick={() => {
          invite.reset();
          setWhich(selected.length > 0 ? 'selected' : 'all');
          setSendMail(false);
          setAsking(true);
        }}
        data-testid="learners-print-invitations"
      >
        {selected.length > 0 ? t('invitations.bulk.buttonSelected', { count: selected.length }) : t('invitations.bulk.button')}
      </Button>
      <Modal
        open={asking}
        title={t('invitations.bulk.title')}
        okText={t('invitations.create')}
        onOk={() => invite.mutate()}
        confirmLoading={invite.isPending}
        onCancel={() => setAsking(false)}
        okButtonProps={{ 'data-testid': 'bulk-invite-confirm' } as ButtonProps}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('invitations.bulk.explain')}</Typography.Paragraph>
        <Radio.Group value={which} onChange={(e) => setWhich(e.target.value as 'selected' | 'all')} style={{ marginBottom: 12 }}>
          <Space direction="vertical">
            <Radio value="selected" disabled={selected.length === 0} data-testid="bulk-invite-selected">
              {t('invitations.bulk.selected', { count: selected.length })}
            </Radio>
            <Radio value="all" data-testid="bulk-invite-all">
              {t('invitations.bulk.all')}
            </Radio>
          </Space>
        </Radio.Group>
        <div>
          <Checkbox checked={sendMail} onChange={(e) => setSendMail(e.target.checked)} data-testid="bulk-invite-mail">
            {t('invitations.bulk.alsoMail')}
          </Checkbox>
        </div>
        <Alert type="info" showIcon message={t('invitations.replaces')} style={{ marginTop: 12 }} />
        {invite.error && <ErrorAlert error={invite.error} style={{ marginTop: 12 }} />}
      </Modal>
      <Modal
        open={issued !== null}
        title={t('invitations.bulk.issuedTitle', { count: issued?.items.length ?? 0 })}
        width={800}
        onCancel={() => setIssued(null)}
        footer={[
          <Button key="close" onClick={() => setIssued(null)} data-testid="bulk-invite-close">
            {t('invitations.close')}
          </Button>,
          <Button
            key="print"
            type="primary"
            icon={<PrinterOutlined />}
            disabled={!issued?.items.length}
            onClick={() => window.print()}
            data-testid="bulk-invite-print"
          >
            {t('invitations.print')}
          </Button>,
        ]}
      >
        {issued && (
          <PrintableLetters data={issued}>
            {issued.items.length > 0 ? <ShownOnceNote /> : <Alert type="info" showIcon message={t('invitations.bulk.none')} style={{ marginBottom: 12 }} />}
            {mailed > 0 && <Alert type="success" showIcon message={t('invitations.bulk.mailed', { count: mailed })} style={{ marginBottom: 12 }} />}
            {issued.skipped.length > 0 && (
              <Alert type="warning" showIcon message={t('invitations.bulk.skipped', { count: issued.skipped.length })} style={{ marginBottom: 12 }} />
            )}
            <div style={{ maxHeight: '60vh', overflow: 'auto', background: '#fafafa', padding: 8, borderRadius: 8 }} data-testid="bulk-letters">
              <PreviewLetters data={issued} />
            </div>
          </PrintableLetters>
        )}
      </Modal>
    </>
  );
}
