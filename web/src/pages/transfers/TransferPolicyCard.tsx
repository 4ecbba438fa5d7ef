import { useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Col, Descriptions, Form, Input, Row, Skeleton, Space, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { TransferPolicy } from '../../api/transfers';
import type { CreditUnit } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDecimal } from '../../format';

export const policyKey = (institutionId: string) => ['transfer-policy', institutionId] as const;

export function useTransferPolicy(institutionId: string | null | undefined) {
  return useQuery({
    queryKey: policyKey(institutionId ?? ''),
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/transfer-policy', { params: { id: institutionId ?? '' }, signal }),
  });
}

/** "30 学分" or "不限 / no cap". */
export function capText(t: TFunction, cap: string | null, unit: CreditUnit | null | undefined): string {
  return cap === null ? t('transfer.policy.noCap') : `${formatDecimal(cap)} ${t(`unitLabel.${unit ?? 'credit'}`)}`;
}

const CREDITS = /^\d{1,8}(\.\d{1,2})?$/;

/**
 * The caps on credits one learner may transfer into the institution: from any one source
 * institution, and in all. Its registrars set them; reviewers see them. (An agreement may set its
 * own cap too.)
 */
export function TransferPolicyCard({ institutionId, unit, canEdit }: { institutionId: string; unit: CreditUnit | null | undefined; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const policy = useTransferPolicy(institutionId);
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<{ capPerSource: string; capTotal: string }>();
  const save = useMutation({
    mutationFn: (body: TransferPolicy) => api.put('/institutions/{id}/transfer-policy', { params: { id: institutionId }, body }),
    onSuccess: (p) => {
      queryClient.setQueryData(policyKey(institutionId), p);
      setEditing(false);
      void message.success(t('transfer.policy.saved'));
    },
  });
  useEffect(() => {
    if (editing && policy.data) {
      form.setFieldsValue({ capPerSource: policy.data.capPerSource ?? '', capTotal: policy.data.capTotal ?? '' });
      save.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fill once per opening
  }, [editing]);

  const rule = { pattern: CREDITS, message: t('transfer.policy.badNumber') };
  const unitLabel = t(`unitLabel.${unit ?? 'credit'}`);

  return (
    <Card
      size="small"
      title={t('transfer.policy.title')}
      data-testid="transfer-policy"
      extra={
        canEdit && !editing ? (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="transfer-policy-edit">
            {t('transfer.policy.edit')}
          </Button>
        ) : undefined
      }
    >
      {policy.isError && <ErrorAlert error={policy.error} />}
      {policy.isPending ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : editing ? (
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => save.mutate({ capPerSource: v.capPerSource.trim() || null, capTotal: v.capTotal.trim() || null })}
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="capPerSource" label={t('transfer.policy.capPerSource')} extra={t('transfer.policy.blankNoCap')} rules={[rule]}>
                <Input inputMode="decimal" suffix={unitLabel} placeholder={t('transfer.policy.noCap')} data-testid="transfer-policy-per-source" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="capTotal" label={t('transfer.policy.capTotal')} extra={t('transfer.policy.blankNoCap')} rules={[rule]}>
                <Input inputMode="decimal" suffix={unitLabel} placeholder={t('transfer.policy.noCap')} data-testid="transfer-policy-total" />
              </Form.Item>
            </Col>
          </Row>
          {save.isError && <ErrorAlert error={save.error} style={{ marginBottom: 12 }} />}
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="transfer-policy-save">
              {t('transfer.policy.save')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      ) : (
        policy.data && (
          <>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('transfer.policy.capPerSource')}>
                <span className="cb-num" data-testid="transfer-policy-per-source-value">
                  {capText(t, policy.data.capPerSource, unit)}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('transfer.policy.capTotal')}>
                <span className="cb-num" data-testid="transfer-policy-total-value">
                  {capText(t, policy.data.capTotal, unit)}
                </span>
              </Descriptions.Item>
            </Descriptions>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('transfer.policy.help')}
            </Typography.Text>
          </>
        )
      )}
    </Card>
  );
}
