import { useCallback, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Alert, App, Button, Input, List, Space, Tag, Typography, Upload } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { CheckCircleOutlined, FileTextOutlined, SendOutlined } from '@ant-design/icons';
import { api, ApiError, errorText } from '../../api/client';
import type { PolicyError, PolicyValidation } from '../../api/types';
import { bareMessage, lineRange } from './editorText';

const LINE_H = 20;
const MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', 'WenQuanYi Micro Hei Mono', monospace";

/** Server field errors (publish/create refused) back into editor errors, reading the line from the message. */
function fromApiError(e: ApiError): PolicyError[] {
  return e.fields.map((f) => {
    const m = /第\s*(\d+)\s*行/.exec(f.message) ?? /^line (\d+)$/.exec(f.field);
    return { path: f.field.startsWith('line ') ? '' : f.field, line: m ? Number(m[1]) : 1, column: 1, message: f.message };
  });
}

/**
 * The policy text editor: a monospace text area with line numbers, 校验 (each error with its line
 * and field; a click puts the cursor on that line), loading a .yaml/.yml/.json file from disk, and a
 * submit action (publish a version, or upload a new policy) that validates first.
 */
export default function PolicyEditor({
  initialText,
  submitLabel,
  onSubmit,
  extra,
  withNote = true,
}: {
  initialText: string;
  submitLabel: string;
  onSubmit: (text: string, note: string | undefined) => Promise<void>;
  extra?: ReactNode;
  withNote?: boolean;
}) {
  const { message } = App.useApp();
  const [text, setText] = useState(initialText);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<PolicyError[] | null>(null);
  const [ok, setOk] = useState<PolicyValidation['policy']>(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState<'validate' | 'submit' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [cursor, setCursor] = useState({ line: 1, column: 1 });
  const ref = useRef<TextAreaRef>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const area = () => ref.current?.resizableTextArea?.textArea ?? null;

  const trackCursor = useCallback(() => {
    const ta = area();
    if (!ta) return;
    const before = ta.value.slice(0, ta.selectionStart);
    const line = before.split('\n').length;
    setCursor({ line, column: ta.selectionStart - before.lastIndexOf('\n') });
  }, []);

  const edit = (t: string) => {
    setText(t);
    setStale(true);
    setFailure(null);
  };

  /** Put the cursor on an error's line, select it and scroll it into view. */
  const goTo = (e: PolicyError) => {
    const ta = area();
    if (!ta) return;
    const r = lineRange(ta.value, e.line, e.column);
    ta.focus({ preventScroll: true });
    ta.setSelectionRange(r.start, r.end);
    ta.scrollTop = Math.max(0, (e.line - 1) * LINE_H - ta.clientHeight / 3);
    if (gutter.current) gutter.current.scrollTop = ta.scrollTop;
    setCursor({ line: e.line, column: 1 });
  };

  const validate = async (): Promise<boolean> => {
    setBusy('validate');
    setFailure(null);
    try {
      const r = await api.post<PolicyValidation>('/policies/validate', { text });
      setErrors(r.errors);
      setOk(r.ok ? r.policy : null);
      setStale(false);
      if (!r.ok && r.errors[0]) setTimeout(() => goTo(r.errors[0]), 0);
      return r.ok;
    } catch (e) {
      setFailure(errorText(e));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    if (!(await validate())) {
      message.error('政策文件有错误，请按提示修改后再提交');
      return;
    }
    setBusy('submit');
    try {
      await onSubmit(text, note.trim() || undefined);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) setErrors(fromApiError(e));
      setFailure(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  // YAML forbids tabs: the Tab key indents with two spaces instead of leaving the editor.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
    e.preventDefault();
    const ta = e.currentTarget;
    const { selectionStart: s, selectionEnd: t } = ta;
    const next = ta.value.slice(0, s) + '  ' + ta.value.slice(t);
    edit(next);
    requestAnimationFrame(() => ta.setSelectionRange(s + 2, s + 2));
  };

  const lines = text.split('\n').length;
  const errorLines = new Set((errors ?? []).map((e) => e.line));

  return (
    <div data-testid="policy-editor">
      <Space wrap style={{ marginBottom: 8 }}>
        <Button icon={<CheckCircleOutlined />} onClick={() => void validate()} loading={busy === 'validate'} data-testid="validate">
          校验
        </Button>
        <Upload
          accept=".yaml,.yml,.json"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((t) => {
              edit(t);
              setErrors(null);
              setOk(null);
              message.info(`已载入 ${file.name}，请校验后提交`);
            });
            return false;
          }}
        >
          <Button icon={<FileTextOutlined />}>从文件载入（.yaml / .yml / .json）</Button>
        </Upload>
        {extra}
      </Space>
      <div style={{ display: 'flex', border: '1px solid #d9d9d9', borderRadius: 6, height: 480, overflow: 'hidden', background: '#fff' }}>
        <div
          ref={gutter}
          aria-hidden
          style={{
            width: 52,
            flex: 'none',
            overflow: 'hidden',
            background: '#fafafa',
            borderRight: '1px solid #f0f0f0',
            padding: '8px 0',
            fontFamily: MONO,
            fontSize: 12,
            lineHeight: `${LINE_H}px`,
            color: '#999',
            textAlign: 'right',
            userSelect: 'none',
          }}
        >
          {Array.from({ length: lines + 20 }, (_, i) => (
            <div
              key={i}
              style={{
                height: LINE_H,
                paddingRight: 8,
                ...(errorLines.has(i + 1) ? { background: '#fff1f0', color: '#cf1322', fontWeight: 600 } : cursor.line === i + 1 ? { color: '#1677ff' } : {}),
              }}
            >
              {i < lines ? i + 1 : ''}
            </div>
          ))}
        </div>
        <Input.TextArea
          ref={ref}
          value={text}
          onChange={(e) => edit(e.target.value)}
          onScroll={(e) => gutter.current && (gutter.current.scrollTop = e.currentTarget.scrollTop)}
          onSelect={trackCursor}
          onKeyUp={trackCursor}
          onClick={trackCursor}
          onKeyDown={onKeyDown}
          wrap="off"
          spellCheck={false}
          variant="borderless"
          aria-label="政策文本"
          data-testid="policy-text"
          style={{
            flex: 1,
            height: '100%',
            resize: 'none',
            fontFamily: MONO,
            fontSize: 13,
            lineHeight: `${LINE_H}px`,
            padding: '8px 12px',
            whiteSpace: 'pre',
            overflow: 'auto',
            borderRadius: 0,
          }}
        />
      </div>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 12, color: 'rgba(0,0,0,0.45)', margin: '4px 2px 12px' }}>
        <span>YAML 或 JSON；缩进用空格（Tab 键输入两个空格）。格式说明见 policies/README.md。</span>
        <span data-testid="cursor-pos">
          第 {cursor.line} 行，第 {cursor.column} 列
        </span>
      </div>

      {failure && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={failure} data-testid="submit-error" />}
      {errors && errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={`发现 ${errors.length} 处错误${stale ? '（文本已修改，请重新校验）' : ''}，点击一条错误即可定位到该行`}
          description={
            <List
              size="small"
              dataSource={errors}
              data-testid="policy-errors"
              renderItem={(e, i) => (
                <List.Item key={i} style={{ cursor: 'pointer', padding: '4px 0' }} onClick={() => goTo(e)} data-testid="policy-error">
                  <Space size={6} wrap>
                    <Tag color="red" style={{ marginInlineEnd: 0 }}>
                      第{e.line}行
                    </Tag>
                    {e.path && <Typography.Text code>{e.path}</Typography.Text>}
                    <span>{bareMessage(e)}</span>
                  </Space>
                </List.Item>
              )}
            />
          }
        />
      )}
      {errors && errors.length === 0 && ok && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          title={`校验通过${stale ? '（文本已修改，提交前会重新校验）' : ''}：${ok.title}，第 ${ok.version} 版，${ok.rules.length} 条规则，实施期 ${ok.period.from} 至 ${ok.period.to ?? '长期'}`}
          data-testid="validation-ok"
        />
      )}

      <Space wrap align="start">
        {withNote && (
          <Input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={200}
            placeholder="版本说明（可选），例如：按 2025 年文件调整班主任学时"
            style={{ width: 380, maxWidth: '80vw' }}
            aria-label="版本说明"
          />
        )}
        <Button
          type="primary"
          icon={<SendOutlined />}
          onClick={() => void submit()}
          loading={busy === 'submit'}
          disabled={busy === 'validate'}
          data-testid="submit-policy"
        >
          {submitLabel}
        </Button>
      </Space>
    </div>
  );
}
