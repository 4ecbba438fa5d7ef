import { useEffect, useRef } from 'react';
import { Badge, Button, Tooltip } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useLanguage } from '../i18n/useLanguage';

export const UNREAD_KEY = ['notifications', 'unread'];

/** The bell in the header: how many notifications are unread, polled every 30 seconds; opens the inbox. */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const unread = useQuery({
    queryKey: UNREAD_KEY,
    queryFn: ({ signal }) => api.get('/me/notifications/unread-count', { signal }),
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
  const count = unread.data?.unread ?? 0;
  // switching the app's language also switches the language of one's messages and e-mails
  const [lang] = useLanguage();
  const shown = useRef(lang);
  useEffect(() => {
    if (shown.current === lang) return;
    shown.current = lang;
    api.put('/me/notification-preferences', { body: { language: lang } }).catch(() => undefined);
  }, [lang]);
  return (
    <Tooltip title={t('notifications.bell', { count })}>
      <Badge count={count} size="small" overflowCount={99}>
        <Button
          type="text"
          icon={<BellOutlined />}
          aria-label={t('notifications.bell', { count })}
          data-testid="notification-bell"
          data-count={count}
          onClick={() => navigate('/notifications')}
        />
      </Badge>
    </Tooltip>
  );
}
