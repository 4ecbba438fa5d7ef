import { useState } from 'react';
import { Button, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Res } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { UNREAD_KEY } from '../../components/NotificationBell';
import { useLanguage } from '../../i18n/useLanguage';

type Item = Res<'/me/notifications'>['items'][number];

/** The inbox: newest first, in the reader's language; opening an item marks it read. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const inbox = useInfiniteQuery({
    queryKey: ['notifications', 'inbox', filter, lang],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get('/me/notifications', { query: { cursor: pageParam, limit: 20, unread: filter === 'unread' ? 'true' : undefined }, signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['notifications'] });
  const markRead = useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) => api.post('/me/notifications/read', { body }),
    onSuccess: (r) => {
      queryClient.setQueryData(UNREAD_KEY, { unread: r.unread });
      refresh();
    },
  });
  const items = inbox.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = inbox.data?.pages[0]?.unread ?? 0;
  const open = (item: Item) => {
    if (!item.readAt) markRead.mutate({ ids: [item.id] });
    if (item.link) navigate(item.link);
  };

  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        subtitle={t('notifications.subtitle', { count: unread })}
        extra={
          <Space>
            <Segmented
              value={filter}
              onChange={(v) => setFilter(v as 'all' | 'unread')}
              options={[
                { value: 'all', label: t('notifications.all') },
                { value: 'unread', label: t('notifications.unread') },
              ]}
            />
            <Button onClick={() => markRead.mutate({ all: true })} disabled={unread === 0} loading={markRead.isPending} data-testid="notifications-read-all">
              {t('notifications.readAll')}
            </Button>
            <Link to="/notifications/settings">
              <Button icon={<SettingOutlined />}>{t('notifications.settings.title')}</Button>
            </Link>
          </Space>
        }
      />
      {inbox.error && <ErrorAlert error={inbox.error} />}
      <Card>
        <List
          loading={inbox.isLoading}
          dataSource={items}
          locale={{ emptyText: <Empty description={t('notifications.empty')} /> }}
          data-testid="notifications-list"
          renderItem={(item) => (
            <List.Item
              key={item.id}
              data-testid="notification-item"
              data-kind={item.kind}
              data-read={item.readAt ? 'true' : 'false'}
              style={{ cursor: item.link ? 'pointer' : undefined, opacity: item.readAt ? 0.7 : 1 }}
              onClick={() => open(item)}
              actions={
                item.readAt
                  ? []
                  : [
                      <Button
                        key="read"
                        size="small"
                        type="link"
                        onClick={(e) => {
                          e.stopPropagation();
                          markRead.mutate({ ids: [item.id] });
                        }}
                      >
                        {t('notifications.markRead')}
                      </Button>,
                    ]
              }
            >
              <List.Item.Meta
                title={
                  <Space>
                    {!item.readAt && <Tag color="blue">{t('notifications.new')}</Tag>}
                    <Typography.Text strong={!item.readAt}>{item.title}</Typography.Text>
                  </Space>
                }
                description={
                  <>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-line', marginBottom: 4 }}>{item.body}</Typography.Paragraph>
                    <Typography.Text type="secondary">{new Date(item.createdAt).toLocaleString(lang)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
        {inbox.hasNextPage && (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button onClick={() => void inbox.fetchNextPage()} loading={inbox.isFetchingNextPage}>
              {t('notifications.more')}
            </Button>
          </div>
        )}
      </Card>
    </>
  );
}
