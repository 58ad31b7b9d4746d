import { useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { Alert, Button, Progress, Space, Spin, Typography } from 'antd';
import { CloseOutlined, ExpandOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client';
import type { AttendanceList, CheckinToken } from '../../api/types';

const POLL_MS = 5000;

/** Poll fn while mounted, every POLL_MS or sooner if `delay` says so; the latest answer or error wins. */
function usePoll<T>(fn: () => Promise<T>, deps: unknown[], delay?: (d: T) => number): { data: T | undefined; error: unknown } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      let wait = POLL_MS;
      try {
        const d = await fnRef.current();
        if (live) setData(d), setError(null);
        if (delay) wait = Math.min(POLL_MS, Math.max(500, delay(d)));
      } catch (e) {
        if (live) setError(e);
      }
      if (live) timer = setTimeout(tick, wait);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return { data, error };
}

/** The organiser's full-screen check-in QR: the code rotates, the page follows it and counts arrivals. */
export default function SessionQrPage() {
  const id = Number(useParams().id);
  // ?d=checkout shows the 签退 code; the default is 签到.
  const out = useSearchParams()[0].get('d') === 'checkout';
  const dir = out ? 'checkout' : 'checkin';
  // Fetch the next code right after the current one expires, so the screen never shows a stale code for long.
  const token = usePoll(
    () => api.get<CheckinToken>(`/sessions/${id}/${dir}/token`),
    [id, dir],
    (t) => new Date(t.expiresAt).getTime() - Date.now() + 300,
  );
  const att = usePoll(() => api.get<AttendanceList>(`/sessions/${id}/attendance`), [id]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);

  const t = token.data;
  const period = t?.periodSeconds ?? 30;
  const left = t ? Math.max(0, Math.ceil((new Date(t.expiresAt).getTime() - now) / 1000)) : 0;
  const present = (out ? att.data?.items.filter((r) => r.checkedOutAt).length : att.data?.items.filter((r) => r.present).length) ?? 0;
  const enrolled = att.data?.items.length ?? att.data?.session.enrolledCount ?? 0;
  const s = att.data?.session;

  const fullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.();
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        boxSizing: 'border-box',
        background: '#0b1f3a',
        color: '#fff',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        padding: '20px 16px',
      }}
      data-testid="qr-page"
    >
      <Space style={{ position: 'absolute', top: 12, right: 12 }}>
        <Button ghost icon={<ExpandOutlined />} onClick={fullscreen}>
          全屏
        </Button>
        <Button ghost icon={<CloseOutlined />} onClick={() => window.close()} aria-label="关闭" />
      </Space>
      <Typography.Title level={2} style={{ color: '#fff', margin: '8px 0 4px', textAlign: 'center' }}>
        {out ? '签退' : '签到'}
        {s ? `：${s.title}` : ''}
      </Typography.Title>
      {s && (
        <Typography.Text style={{ color: 'rgba(255,255,255,.75)', fontSize: 16 }}>
          {s.date} {s.startTime}–{s.endTime}
          {s.place ? ` · ${s.place}` : ''}
        </Typography.Text>
      )}
      {/* The code and the count side by side on a projector (1366×768 shows both without scrolling); on a
          narrow screen the count wraps below the code. */}
      <div style={{ marginTop: 16, display: 'flex', flexWrap: 'wrap', justifyContent: 'center', alignItems: 'center', gap: '16px 40px' }}>
        <div
          style={{
            background: '#fff',
            borderRadius: 16,
            padding: 16,
            boxSizing: 'border-box',
            width: 'min(calc(100vh - 190px), 90vw)',
            minWidth: 240,
            aspectRatio: '1 / 1',
            display: 'grid',
            placeItems: 'center',
          }}
        >
          {t ? (
            <img src={t.qrDataUrl} alt="签到二维码" style={{ width: '100%', height: '100%', imageRendering: 'pixelated' }} data-testid="qr-image" />
          ) : token.error ? (
            <Alert type="error" showIcon title={out ? '无法获取签退码' : '无法获取签到码'} description={errorText(token.error)} />
          ) : (
            <Spin size="large" />
          )}
        </div>
        <div style={{ width: 'min(320px, 90vw)', textAlign: 'center' }}>
          <div data-testid="qr-count">
            <div style={{ fontSize: 20, color: 'rgba(255,255,255,.75)' }}>{out ? '已签退' : '已签到'}</div>
            <div style={{ fontSize: 72, fontWeight: 700, lineHeight: 1.1 }}>
              {present}
              <span style={{ fontSize: 32, color: 'rgba(255,255,255,.6)' }}> / {enrolled}</span>
            </div>
          </div>
          {t && (
            <div style={{ marginTop: 24 }}>
              <Progress percent={(left / period) * 100} showInfo={false} strokeColor="#52c41a" railColor="rgba(255,255,255,.2)" />
              <Typography.Text style={{ color: 'rgba(255,255,255,.85)' }} data-testid="qr-countdown">
                二维码每 {period} 秒更新，{left} 秒后刷新 · 请使用手机扫码{out ? '签退' : '签到'}
              </Typography.Text>
            </div>
          )}
          {token.error && t ? <Alert type="warning" showIcon style={{ marginTop: 12 }} title={`二维码刷新失败：${errorText(token.error)}`} /> : null}
        </div>
      </div>
    </div>
  );
}
