import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Result, Spin, Typography } from 'antd';
import { CheckCircleFilled } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client';
import type { CheckinResult, CheckinScan } from '../../api/types';
import { useAuth } from '../../auth';
import LoginForm from '../../components/LoginForm';

type State = { kind: 'idle' } | { kind: 'posting' } | { kind: 'done'; r: CheckinResult; at: Date } | { kind: 'failed'; message: string; status: number };
/** The scan of a teacher who is not logged in yet: none, in flight, kept (a ticket) or refused. */
type Scan = { kind: 'none' } | { kind: 'scanning' } | { kind: 'scanned'; s: StoredScan } | { kind: 'refused'; message: string };
interface StoredScan {
  token: string;
  ticket: string;
  scannedAt: string;
}

// Kept in sessionStorage: this tab only, and it survives the login (also a redirect to a sign-in service).
const KEY_STORE = 'qs.checkin.key';
const SCAN_STORE = 'qs.checkin.scan';

/** This browser's random key: a scan ticket only works together with it, so a forwarded ticket is useless. */
function browserKey(): string {
  let k = sessionStorage.getItem(KEY_STORE);
  if (!k || !/^[A-Za-z0-9_-]{22,64}$/.test(k)) {
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    k = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    sessionStorage.setItem(KEY_STORE, k);
  }
  return k;
}

function storedScan(token: string): StoredScan | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(SCAN_STORE) ?? 'null') as StoredScan | null;
    return s && s.token === token ? s : null;
  } catch {
    return null;
  }
}

const shell: React.CSSProperties = {
  minHeight: '100vh',
  background: '#f0f5ff',
  padding: '24px 16px',
  boxSizing: 'border-box',
  display: 'flex',
  flexDirection: 'column',
  alignItems: 'center',
};
const box: React.CSSProperties = { width: '100%', maxWidth: 420 };
const clock = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour12: false });

/**
 * The teacher's phone page behind the QR code. Logged in: check in once with the token. Logged out: the
 * scan itself is recorded first (a ticket bound to this browser, good for 10 minutes), so the check-in
 * still counts, at the scan time, when the login takes longer than the code lives.
 */
export default function MobileCheckinPage() {
  const [params] = useSearchParams();
  const token = params.get('t') ?? '';
  const { me, loading, logout } = useAuth();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [scan, setScan] = useState<Scan>(() => {
    const s = token ? storedScan(token) : null;
    return s ? { kind: 'scanned', s } : { kind: 'none' };
  });
  // A token is posted once per page view (StrictMode mounts effects twice in development).
  const posted = useRef<string | null>(null);
  const scanned = useRef<string | null>(null);

  const checkin = async () => {
    setState({ kind: 'posting' });
    const kept = storedScan(token);
    try {
      const r = kept
        ? await api.post<CheckinResult>('/checkin/ticket', { ticket: kept.ticket, key: browserKey() }, { noAuthRedirect: true })
        : await api.post<CheckinResult>('/checkin', { token }, { noAuthRedirect: true });
      // The used ticket stays: a reload hears 已签到 instead of the rotated code's 已过期.
      setState({ kind: 'done', r: r ?? {}, at: r?.at ? new Date(r.at) : new Date() });
    } catch (e) {
      const status = e instanceof ApiError ? e.status : 0;
      // An expired, invalid or foreign ticket is of no further use; a 403 (this account is not enrolled)
      // keeps it for the right account.
      if (kept && status === 400) sessionStorage.removeItem(SCAN_STORE);
      setState({ kind: 'failed', message: errorText(e), status });
    }
  };

  // Logged out: record the scan moment now, while the code on the screen is valid.
  useEffect(() => {
    if (loading || me || !token || scan.kind !== 'none' || scanned.current === token) return;
    scanned.current = token;
    setScan({ kind: 'scanning' });
    void (async () => {
      try {
        const r = await api.post<CheckinScan>('/checkin/scan', { token, key: browserKey() }, { noAuthRedirect: true });
        const s = { token, ticket: r.ticket, scannedAt: r.scannedAt };
        sessionStorage.setItem(SCAN_STORE, JSON.stringify(s));
        setScan({ kind: 'scanned', s });
      } catch (e) {
        setScan({ kind: 'refused', message: errorText(e) });
      }
    })();
  }, [loading, me, token, scan.kind]);

  useEffect(() => {
    if (!me || !token || posted.current === token) return;
    posted.current = token;
    void checkin();
  }, [me, token]); // eslint-disable-line react-hooks/exhaustive-deps

  const header = (
    <div style={{ textAlign: 'center', marginBottom: 16 }}>
      <div
        style={{
          width: 44,
          height: 44,
          borderRadius: 10,
          background: '#1677ff',
          color: '#fff',
          fontSize: 24,
          fontWeight: 700,
          display: 'inline-grid',
          placeItems: 'center',
        }}
      >
        师
      </div>
      <Typography.Title level={4} style={{ margin: '8px 0 0' }}>
        培训签到
      </Typography.Title>
    </div>
  );

  let body: React.ReactNode;
  if (!token) body = <Result status="warning" title="签到链接无效" subTitle="请重新扫描现场的签到二维码" />;
  else if (loading)
    body = (
      <div style={{ textAlign: 'center', padding: 48 }}>
        <Spin size="large" />
      </div>
    );
  else if (!me && scan.kind === 'refused')
    body = (
      <Card data-testid="checkin-failed">
        <Result
          status="error"
          title="签到未成功"
          subTitle={scan.message}
          style={{ padding: '16px 0' }}
          extra={<Typography.Text type="secondary">请重新扫描现场屏幕上的最新二维码</Typography.Text>}
        />
      </Card>
    );
  else if (!me)
    body = (
      <Card title="登录后完成签到" size="small" data-testid="checkin-login">
        {scan.kind === 'scanned' && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="checkin-scanned"
            title={`已扫码（${clock(scan.s.scannedAt)}）`}
            description="请在 10 分钟内登录，将按扫码时间记录签到"
          />
        )}
        <LoginForm onSuccess={() => undefined} size="large" />
      </Card>
    );
  else if (state.kind === 'done') {
    const r = state.r;
    const project = r.projectName;
    const session = r.sessionTitle;
    const what = r.direction === 'out' ? '签退' : '签到';
    body = (
      <Card data-testid="checkin-success" style={{ textAlign: 'center' }}>
        <CheckCircleFilled style={{ fontSize: 72, color: '#52c41a' }} />
        <Typography.Title level={3} style={{ color: '#389e0d', margin: '12px 0 16px' }}>
          {what}成功
        </Typography.Title>
        {project && (
          <Typography.Paragraph strong style={{ fontSize: 16, marginBottom: 4 }}>
            {project}
          </Typography.Paragraph>
        )}
        {session && <Typography.Paragraph style={{ marginBottom: 4 }}>{session}</Typography.Paragraph>}
        <Typography.Paragraph type="secondary">
          {what}时间 {state.at.toLocaleString('zh-CN', { hour12: false })}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 0 }}>
          {me.displayName} · {me.orgName}
        </Typography.Paragraph>
      </Card>
    );
  } else if (state.kind === 'failed') {
    // 409 '您已签到…' is not a failure for the teacher: say so calmly. Everything else is an error.
    const already = state.status === 409 && /已签到|已签退/.test(state.message);
    const expired = /过期|无效/.test(state.message);
    body = (
      <Card data-testid="checkin-failed">
        <Result
          status={already ? 'info' : 'error'}
          title={already ? (/签退/.test(state.message) ? '您已签退' : '您已签到') : /签退/.test(state.message) ? '签退未成功' : '签到未成功'}
          subTitle={state.message}
          style={{ padding: '16px 0' }}
          extra={
            expired ? (
              <Typography.Text type="secondary">请重新扫描现场屏幕上的最新二维码</Typography.Text>
            ) : already || state.status === 403 || state.status === 409 ? null : (
              <Button onClick={() => void checkin()}>重试</Button>
            )
          }
        />
      </Card>
    );
  } else
    body = (
      <div style={{ textAlign: 'center', padding: 48 }}>
        <Spin size="large" description="正在签到…" />
      </div>
    );

  return (
    <div style={shell}>
      <div style={box}>
        {header}
        {body}
        {me && (
          <div style={{ textAlign: 'center', marginTop: 16, fontSize: 13 }}>
            <Link to="/my/projects">我的培训</Link>
            <span style={{ color: '#bbb', margin: '0 8px' }}>|</span>
            <Link to="/my/hours">我的学时</Link>
            <span style={{ color: '#bbb', margin: '0 8px' }}>|</span>
            <a
              onClick={() => {
                posted.current = null;
                setState({ kind: 'idle' });
                void logout();
              }}
            >
              切换账号
            </a>
          </div>
        )}
      </div>
    </div>
  );
}
