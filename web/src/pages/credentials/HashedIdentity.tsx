// A credential shared without the holder's name in clear carries Open Badges 3.0 hashed
// IdentityObjects: identityHash = "sha256$" + hex(sha256(value + salt)). The verifier reads "name not
// disclosed" and may check a name they were given: it is hashed here, in the browser, with each
// identifier's salt, and never sent anywhere.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Tag, Tooltip, Typography } from 'antd';
import { EyeInvisibleOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export interface HashedIdentity {
  identityType: string;
  identityHash: string;
  salt?: string;
}

/** The hashed IdentityObjects of a credential's subject (none for a credential that names its holder). */
export function hashedIdentities(document: unknown): HashedIdentity[] {
  const subject = document && typeof document === 'object' ? (document as { credentialSubject?: unknown }).credentialSubject : undefined;
  const first = Array.isArray(subject) ? subject[0] : subject;
  const ids = first && typeof first === 'object' ? (first as { identifier?: unknown }).identifier : undefined;
  return (Array.isArray(ids) ? ids : ids ? [ids] : []).filter(
    (i): i is HashedIdentity =>
      typeof i === 'object' &&
      i !== null &&
      (i as { hashed?: unknown }).hashed === true &&
      typeof (i as HashedIdentity).identityHash === 'string' &&
      typeof (i as HashedIdentity).identityType === 'string',
  );
}

/** The ways a person may type a name that the bank stores one way: spaces inside a Chinese name dropped, middle dots unified (U+00B7). */
export function candidates(input: string, identityType: string): string[] {
  const trimmed = input.trim().replace(/[\s\u3000]+/g, ' ');
  const dotted = trimmed.replace(/[\u2022\u2027\u30FB\uFF65\u2219]/g, '\u00B7');
  const out = [input.trim(), trimmed, dotted];
  if (/[\u3400-\u9FFF]/.test(dotted)) out.push(dotted.replace(/ /g, ''));
  if (identityType !== 'name') out.push(dotted.replace(/ /g, '').toUpperCase());
  return [...new Set(out.filter(Boolean))];
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The identity types that `input` matches (name, identifier, …); only sha256 hashes can be checked. */
export async function matchingTypes(identities: HashedIdentity[], input: string): Promise<string[]> {
  const found = new Set<string>();
  for (const i of identities) {
    const [alg, hex] = i.identityHash.split('$');
    if (alg !== 'sha256' || !hex) continue;
    for (const c of candidates(input, i.identityType)) {
      if ((await sha256Hex(c + (i.salt ?? ''))) === hex.toLowerCase()) found.add(i.identityType);
    }
  }
  return [...found];
}

/** What the holder row says when the credential names no one in clear. */
export function NameNotDisclosed() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('credentials.nameCheck.notDisclosedHelp')}>
      <Tag icon={<EyeInvisibleOutlined />} bordered={false} data-testid="verify-name-hidden" style={{ marginInlineEnd: 0 }}>
        {t('credentials.nameCheck.notDisclosed')}
      </Tag>
    </Tooltip>
  );
}

type Outcome = { kind: 'match'; types: string[]; value: string } | { kind: 'noMatch'; value: string } | { kind: 'unavailable' };

/** "Check a name": hashes what the verifier types with the credential's salts and says whether it matches. */
export function NameCheck({ identities }: { identities: HashedIdentity[] }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async () => {
    if (!value.trim()) {
      setError(t('credentials.nameCheck.empty'));
      setOutcome(null);
      return;
    }
    setError(null);
    if (!globalThis.crypto?.subtle) {
      setOutcome({ kind: 'unavailable' });
      return;
    }
    setBusy(true);
    try {
      const types = await matchingTypes(identities, value);
      setOutcome(types.length ? { kind: 'match', types, value: value.trim() } : { kind: 'noMatch', value: value.trim() });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('credentials.nameCheck.title')} style={{ marginTop: 16 }} data-testid="name-check">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {t('credentials.nameCheck.help')}
      </Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void check()}>
        <Form.Item label={t('credentials.nameCheck.label')} validateStatus={error ? 'error' : undefined} help={error ?? undefined} style={{ marginBottom: 12 }}>
          <Space.Compact style={{ width: '100%', maxWidth: 520 }}>
            <Input
              value={value}
              onChange={(e) => {
                setValue(e.target.value);
                setOutcome(null);
                if (error) setError(null);
              }}
              placeholder={t('credentials.nameCheck.placeholder')}
              aria-label={t('credentials.nameCheck.label')}
              autoComplete="off"
              data-testid="name-check-input"
            />
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={busy} data-testid="name-check-submit">
              {t('credentials.nameCheck.submit')}
            </Button>
          </Space.Compact>
        </Form.Item>
      </Form>
      {outcome?.kind === 'match' && (
        <Alert
          type="success"
          showIcon
          data-testid="name-check-result"
          data-match="true"
          message={t(outcome.types.includes('name') ? 'credentials.nameCheck.match' : 'credentials.nameCheck.matchIdentifier', { value: outcome.value })}
        />
      )}
      {outcome?.kind === 'noMatch' && (
        <Alert
          type="error"
          showIcon
          data-testid="name-check-result"
          data-match="false"
          message={t('credentials.nameCheck.noMatch', { value: outcome.value })}
          description={t('credentials.nameCheck.noMatchHelp')}
        />
      )}
      {outcome?.kind === 'unavailable' && <Alert type="warning" showIcon data-testid="name-check-result" message={t('credentials.nameCheck.unavailable')} />}
    </Card>
  );
}
