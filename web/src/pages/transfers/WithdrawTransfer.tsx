// Withdrawing an application: the learner's while it waits, the target registrar's once decided
// (what it granted is reversed). Either way its credits are free for another use afterwards.
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Modal, Typography } from 'antd';
import { RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { TransferApplication } from '../../api/transfers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { transferKey } from './common';

/** Who withdrew the application, when and why; then what it means for its credits. */
export function WithdrawalNote({ app }: { app: TransferApplication }) {
  const { t } = useTranslation();
  const w = app.withdrawal;
  return (
    <>
      {w && (
        <Typography.Paragraph style={{ marginBottom: 4 }} data-testid="transfer-withdrawal">
          {t(w.by === 'learner' ? 'transfer.withdraw.byLearner' : 'transfer.withdraw.byRegistrar', { at: formatDateTime(w.at) })}
          <br />
          {t('transfer.withdraw.reasonWas')}{' '}
          <Typography.Text strong data-testid="transfer-withdrawal-reason">
            {w.reason}
          </Typography.Text>
        </Typography.Paragraph>
      )}
      {t(w?.by === 'learner' ? 'transfer.withdraw.help' : 'transfer.detail.withdrawnHelp')}
    </>
  );
}

export function WithdrawTransferButton({ app }: { app: TransferApplication }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const decided = app.status === 'decided';
  const withdraw = useMutation({
    mutationFn: () => api.post('/transfers/{id}/withdraw', { params: { id: app.id }, body: { reason: reason.trim() } }),
    onSuccess: (a) => {
      queryClient.setQueryData(transferKey(a.id), a);
      void queryClient.invalidateQueries({ queryKey: ['transfers'] });
      void queryClient.invalidateQueries({ queryKey: ['account'] });
      setOpen(false);
      void message.success(t('transfer.withdraw.done'));
    },
  });
  return (
    <>
      <Button danger icon={<RollbackOutlined />} onClick={() => setOpen(true)} data-testid="transfer-withdraw">
        {t(decided ? 'transfer.withdraw.reverse' : 'transfer.withdraw.button')}
      </Button>
      <Modal
        open={open}
        title={t(decided ? 'transfer.withdraw.reverseTitle' : 'transfer.withdraw.title')}
        okText={t(decided ? 'transfer.withdraw.reverse' : 'transfer.withdraw.button')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 3, loading: withdraw.isPending, 'data-testid': 'transfer-withdraw-confirm' } as never}
        cancelText={t('common.cancel')}
        onOk={() => withdraw.mutate()}
        onCancel={() => setOpen(false)}
      >
        <Typography.Paragraph>{t(decided ? 'transfer.withdraw.reverseHelp' : 'transfer.withdraw.help')}</Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label={t('transfer.withdraw.reason')} required>
            <Input.TextArea rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="transfer-withdraw-reason" />
          </Form.Item>
        </Form>
        {withdraw.isError && <ErrorAlert error={withdraw.error} />}
      </Modal>
    </>
  );
}
