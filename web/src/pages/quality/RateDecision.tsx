// "Rate this decision": a learner rates the decision on one of their decided applications, 1–5 with
// an optional comment; a later rating replaces the earlier one. The ratings make the satisfaction
// figures of the quality indicators.
import { useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Input, Rate, Space, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Res } from '../../api/client';
import { useErrorMessage } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';

export type DecisionRating = Res<'/me/ratings'>['items'][number];

const RATINGS_KEY = ['me', 'ratings'] as const;

export function RateDecision({ subjectType, subjectId }: { subjectType: DecisionRating['subjectType']; subjectId: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const ratings = useQuery({ queryKey: RATINGS_KEY, queryFn: ({ signal }) => api.get('/me/ratings', { signal }) });
  const saved = ratings.data?.items.find((r) => r.subjectType === subjectType && r.subjectId === subjectId) ?? null;
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  useEffect(() => {
    if (saved) {
      setRating(saved.rating);
      setComment(saved.comment);
    }
  }, [saved]);

  const save = useMutation({
    mutationFn: () => api.post('/me/ratings', { body: { subjectType, subjectId, rating, comment } }),
    onSuccess: () => {
      void message.success(t('quality.rating.thanks'));
      void queryClient.invalidateQueries({ queryKey: RATINGS_KEY });
    },
    onError: (err) => void message.error(errorMessage(err)),
  });

  const labels = [1, 2, 3, 4, 5].map((n) => t(`quality.rating.stars.${n}`));
  return (
    <Card title={t('quality.rating.title')} data-testid="rate-decision" loading={ratings.isPending}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('quality.rating.help')}
      </Typography.Paragraph>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Space size={12} align="center" wrap>
          <Rate value={rating} onChange={setRating} tooltips={labels} data-testid="rate-decision-stars" aria-label={t('quality.rating.title')} />
          {rating > 0 && <Typography.Text>{labels[rating - 1]}</Typography.Text>}
        </Space>
        <Input.TextArea
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={1000}
          showCount
          autoSize={{ minRows: 2, maxRows: 6 }}
          placeholder={t('quality.rating.commentPlaceholder')}
          data-testid="rate-decision-comment"
        />
        <Space wrap>
          <Button type="primary" disabled={rating === 0} loading={save.isPending} onClick={() => save.mutate()} data-testid="rate-decision-submit">
            {saved ? t('quality.rating.update') : t('quality.rating.submit')}
          </Button>
          {saved && (
            <Typography.Text type="secondary" data-testid="rate-decision-saved" data-rating={saved.rating}>
              {t('quality.rating.saved', { rating: saved.rating, date: formatDateTime(saved.updatedAt) })}
            </Typography.Text>
          )}
        </Space>
      </Space>
    </Card>
  );
}
