import { useState, type ReactNode } from 'react';
import { Card, Result } from 'antd';
import { LoadError, PageLoading } from './Status';

const shell: React.CSSProperties = {
  minHeight: '100vh',
  background: '#f0f5ff',
  padding: '24px 16px',
  boxSizing: 'border-box',
  display: 'flex',
  flexDirection: 'column',
  alignItems: 'center',
};

/** What the page shows instead of the form: already answered (success) or no longer open (info). */
export interface SurveyOutcome {
  status: 'success' | 'info';
  title: string;
  subTitle: ReactNode;
  extra?: ReactNode;
  testId?: string;
}

/**
 * The phone page a teacher answers a survey on (participant evaluation, needs survey): the centred
 * column, loading and error states, the answered/closed result, or the form card.
 */
export function PhoneSurveyPage(props: {
  maxWidth: number;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** Above the card (a page title). */
  heading?: ReactNode;
  /** Below the card (links). */
  footer?: ReactNode;
  outcome?: SurveyOutcome | null;
  /** The form card; leave out while there is nothing to show. */
  form?: { title: string; testId: string; content: ReactNode };
}) {
  const { loading, error, outcome, form } = props;
  let body: ReactNode = null;
  if (loading) body = <PageLoading />;
  else if (error)
    body = (
      <Card>
        <LoadError error={error} onRetry={props.onRetry} />
      </Card>
    );
  else if (outcome)
    body = (
      <Card data-testid={outcome.testId}>
        <Result status={outcome.status} title={outcome.title} subTitle={outcome.subTitle} extra={outcome.extra} />
      </Card>
    );
  else if (form)
    body = (
      <Card title={<span style={{ whiteSpace: 'normal' }}>{form.title}</span>} size="small" data-testid={form.testId}>
        {form.content}
      </Card>
    );
  return (
    <div style={shell}>
      <div style={{ width: '100%', maxWidth: props.maxWidth }}>
        {props.heading}
        {body}
        {props.footer}
      </div>
    </div>
  );
}

/** Submit an answer once: `busy` while sending, `done` after it went through; a failure goes to onError. */
export function useSubmitOnce<V>(send: (v: V) => Promise<unknown>, onError: (e: unknown) => void) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = async (v: V) => {
    setBusy(true);
    try {
      await send(v);
      setDone(true);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, done, submit };
}
