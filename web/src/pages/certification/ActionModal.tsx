import { useEffect } from 'react';
import { Alert, App as AntApp, Form, Input, Modal, Radio, Typography, type ButtonProps } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { showFieldErrors, useCredits } from './common';
import { certificationKey } from './EvidencePanel';
import type { ActionBody, ApplicationDetail, CertAction } from './types';

/** Whether an action asks for a reason: required, optional, or not at all. */
export const REASON: Record<CertAction, 'required' | 'optional' | 'none'> = {
  submit: 'none',
  resubmit: 'optional',
  withdraw: 'optional',
  approve: 'optional',
  reject: 'required',
  request_info: 'required',
  vote: 'required',
  appeal: 'required',
  revoke: 'required',
};

const CREDIT_TEXT = /^\d{1,8}(\.\d{1,2})?$/;

interface Values {
  reason?: string;
  decision?: 'approve' | 'reject';
  credits?: string;
}

/** Invalidates what an action may have changed: the lists, and the learner's balances and ledger. */
export function useRefreshAfterAction() {
  const queryClient = useQueryClient();
  return (detail: ApplicationDetail) => {
    queryClient.setQueryData(certificationKey(detail.id), detail);
    for (const key of ['my-certifications', 'certification-queue', 'certification', 'account', 'ledger'])
      void queryClient.invalidateQueries({ queryKey: [key] });
  };
}

/** Asks for what an action needs (a reason, a vote, credits), then takes it on the application. */
export function ActionModal({ app, action, onClose }: { app: ApplicationDetail; action: CertAction | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const refresh = useRefreshAfterAction();
  const queryClient = useQueryClient();
  const credits = useCredits();
  const decision = Form.useWatch('decision', form);
  const individual = app.standard === null;

  const act = useMutation({
    mutationFn: ({ a, body }: { a: CertAction; body: ActionBody }) => api.post('/certifications/{id}/{action}', { params: { id: app.id, action: a }, body }),
    onSuccess: (detail, { a }) => {
      refresh(detail);
      void message.success(t(`certification.done.${a}`));
      onClose();
    },
    onError: (err) => {
      showFieldErrors(form, err, ['reason', 'decision', 'credits']);
      // Someone else moved the application on: show them what it is now.
      if (err instanceof ApiError && err.status === 409) void queryClient.invalidateQueries({ queryKey: certificationKey(app.id) });
    },
  });

  useEffect(() => {
    if (!action) return;
    act.reset();
    form.resetFields();
    if (action === 'vote') form.setFieldsValue({ decision: undefined, credits: app.creditsRequested ?? undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset once per opening
  }, [action]);

  if (!action) return null;
  const reason = REASON[action];

  const submit = async () => {
    const v = await form.validateFields();
    const body: ActionBody = { expectedVersion: app.version };
    if (v.reason?.trim()) body.reason = v.reason.trim();
    if (action === 'vote') {
      body.decision = v.decision;
      if (v.decision === 'approve' && individual && v.credits) body.credits = v.credits.trim();
    }
    act.mutate({ a: action, body });
  };

  const danger = action === 'reject' || action === 'revoke' || action === 'withdraw';

  return (
    <Modal
      open
      title={t(`certification.actionTitle.${action}`)}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t(`certification.action.${action}`)}
      cancelText={t('common.cancel')}
      confirmLoading={act.isPending}
      okButtonProps={{ danger, 'data-testid': 'cert-action-confirm' } as ButtonProps}
      destroyOnHidden
      data-testid="cert-action-modal"
    >
      <Typography.Paragraph type="secondary">{t(`certification.actionHelp.${action}`)}</Typography.Paragraph>
      {action === 'approve' && app.standard && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('certification.approveGrants', { credits: credits(app.standard.credits, app.standard.unit) })}
        />
      )}
      <Form form={form} layout="vertical" requiredMark="optional">
        {action === 'vote' && (
          <Form.Item name="decision" label={t('certification.vote.decision')} rules={[{ required: true, message: t('certification.vote.decisionRequired') }]}>
            <Radio.Group optionType="button" buttonStyle="solid">
              <Radio.Button value="approve">
                <span data-testid="cert-vote-approve">
                  {app.status === 'appealed' ? t('certification.vote.approveAppeal') : t('certification.vote.approve')}
                </span>
              </Radio.Button>
              <Radio.Button value="reject">
                <span data-testid="cert-vote-reject">{app.status === 'appealed' ? t('certification.vote.rejectAppeal') : t('certification.vote.reject')}</span>
              </Radio.Button>
            </Radio.Group>
          </Form.Item>
        )}
        {action === 'vote' && individual && decision === 'approve' && (
          <Form.Item
            name="credits"
            label={t('certification.vote.credits', { unit: t(`unitLabel.${app.unit}`) })}
            extra={app.creditsRequested ? t('certification.vote.creditsHelp', { credits: credits(app.creditsRequested, app.unit) }) : undefined}
            rules={[
              { required: true, message: t('certification.vote.creditsRequired') },
              { pattern: CREDIT_TEXT, message: t('certification.form.creditsFormat') },
            ]}
          >
            <Input inputMode="decimal" style={{ width: 160 }} data-testid="cert-vote-credits" />
          </Form.Item>
        )}
        {reason !== 'none' && (
          <Form.Item
            name="reason"
            label={t(action === 'appeal' ? 'certification.appeal.statement' : 'certification.reason')}
            rules={
              reason === 'required'
                ? [
                    { required: true, whitespace: true, message: t('certification.reasonRequired') },
                    { min: 3, message: t('certification.reasonShort') },
                  ]
                : []
            }
          >
            <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t(`certification.reasonPlaceholder.${action}`)} data-testid="cert-action-reason" />
          </Form.Item>
        )}
      </Form>
      {act.isError && <ErrorAlert error={act.error} title={t('certification.actionFailed')} />}
    </Modal>
  );
}
