import { useMemo, useState, type ReactNode } from 'react';
import { Alert, App, Button, Col, Collapse, Form, Input, InputNumber, Row, Select, Space, Tag, Typography } from 'antd';
import { EyeOutlined, UndoOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client';
import type { PolicyRule, PolicyValidation } from '../../api/types';
import { options, TEACHER_ROLES } from '../../vocab';
import {
  applyForm,
  fieldOfPath,
  formatDays,
  formErrors,
  parseDays,
  readForm,
  titleFor,
  WINDOW_TYPES,
  type PolicyFormValues,
  type RuleFormValues,
  type WindowForm,
  type WindowType,
} from '../../../../server/src/modules/policies/policy.form';

const ROLE_OPTIONS = options(TEACHER_ROLES);
const WINDOW_OPTIONS = Object.entries(WINDOW_TYPES).map(([value, label]) => ({ value, label }));

/** A form field with its error under it (red), or a hint. */
function Field({ label, error, hint, children, testId }: { label: string; error?: string; hint?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Form.Item label={label} validateStatus={error ? 'error' : undefined} help={error ?? hint} style={{ marginBottom: 12 }} data-testid={testId}>
      {children}
    </Form.Item>
  );
}

/**
 * 表单编辑: the common edits of a policy — 实施期, default reminder days, and per rule the figure, the roles
 * it applies to, its window, deadline and reminder days — written into the same YAML text (policy.form.ts).
 * Every value is checked at its field in Chinese, then the whole text by the server; a valid text goes to
 * `onSubmit`, which shows the diff against the published version before publishing.
 */
export default function PolicyFormEditor({
  baseText,
  rules,
  onSubmit,
}: {
  /** The text of the next version (the published text with its version bumped). */
  baseText: string;
  /** The published rules, for their kind labels. */
  rules: PolicyRule[];
  onSubmit: (text: string) => void;
}) {
  const { message } = App.useApp();
  const read = useMemo(() => readForm(baseText), [baseText]);
  const [values, setValues] = useState<PolicyFormValues | null>(read.ok ? read.form.values : null);
  // Reminder days as typed ('30、7'), so a half-typed list is not reformatted under the cursor.
  const [daysText, setDaysText] = useState<Record<string, string>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [open, setOpen] = useState<string[]>([]);
  // Rules whose title the user typed: a new figure no longer rewrites it.
  const [ownTitle, setOwnTitle] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  if (!read.ok || !values) return <Alert type="warning" showIcon title={read.ok ? '表单无法读取此政策' : read.message} />;
  const form = read.form;
  const local = formErrors(form, values);
  const errors = { ...serverErrors, ...local };
  const kindLabel = new Map(rules.map((r) => [r.id, r.kindLabel]));

  const change = (next: PolicyFormValues) => {
    setValues(next);
    setServerErrors({});
    setOtherErrors([]);
  };
  const setRule = (i: number, patch: Partial<RuleFormValues>) => change({ ...values, rules: values.rules.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  const days = (key: string, current: number[] | null | undefined, set: (d: number[] | null) => void) => (
    <Input
      value={daysText[key] ?? formatDays(current)}
      onChange={(e) => {
        setDaysText({ ...daysText, [key]: e.target.value });
        set(parseDays(e.target.value));
      }}
      placeholder="留空按默认；例如 30、7"
      aria-label={key === 'reminders.daysBefore' ? '默认提醒天数' : '提醒天数'}
    />
  );

  const windowFields = (i: number, w: WindowForm) => {
    const at = `rules[${i}].window`;
    const set = (patch: Partial<WindowForm>) => setRule(i, { window: { ...w, ...patch } });
    const switchTo = (type: WindowType) => {
      const defaults: Record<WindowType, WindowForm> = {
        year: { type },
        term: { type },
        period: { type },
        fixed: { type, from: values.periodFrom, to: values.periodTo || values.periodFrom },
        cycle: { type, years: 5, anchor: values.periodFrom },
        rolling: { type, years: 1 },
        afterHire: { type, years: 1, leadDays: 0 },
      };
      const was = form.values.rules[i].window;
      setRule(i, { window: was?.type === type ? was : defaults[type] });
    };
    return (
      <>
        <Col xs={24} md={8}>
          <Field label="统计期" error={errors[`${at}.type`]}>
            <Select value={w.type} options={WINDOW_OPTIONS} onChange={switchTo} aria-label="统计期" />
          </Field>
        </Col>
        {w.type === 'fixed' && (
          <>
            <Col xs={12} md={5}>
              <Field label="开始日期" error={errors[`${at}.from`]}>
                <Input value={w.from} onChange={(e) => set({ from: e.target.value.trim() })} placeholder="YYYY-MM-DD" aria-label="开始日期" />
              </Field>
            </Col>
            <Col xs={12} md={5}>
              <Field label="结束日期" error={errors[`${at}.to`]}>
                <Input value={w.to} onChange={(e) => set({ to: e.target.value.trim() })} placeholder="YYYY-MM-DD" aria-label="结束日期" />
              </Field>
            </Col>
          </>
        )}
        {(w.type === 'cycle' || w.type === 'rolling' || w.type === 'afterHire') && (
          <Col xs={12} md={4}>
            <Field label="年数" error={errors[`${at}.years`]}>
              <InputNumber value={w.years} min={1} precision={0} onChange={(v) => set({ years: v ?? undefined })} style={{ width: '100%' }} aria-label="年数" />
            </Field>
          </Col>
        )}
        {w.type === 'cycle' && (
          <Col xs={12} md={5}>
            <Field label="周期起点" error={errors[`${at}.anchor`]}>
              <Input value={w.anchor} onChange={(e) => set({ anchor: e.target.value.trim() })} placeholder="YYYY-MM-DD" aria-label="周期起点" />
            </Field>
          </Col>
        )}
        {w.type === 'afterHire' && (
          <Col xs={12} md={5}>
            <Field label="入职前计入天数" error={errors[`${at}.leadDays`]}>
              <InputNumber
                value={w.leadDays}
                min={0}
                max={366}
                precision={0}
                onChange={(v) => set({ leadDays: v ?? 0 })}
                style={{ width: '100%' }}
                aria-label="入职前计入天数"
              />
            </Field>
          </Col>
        )}
      </>
    );
  };

  const items = form.meta.map((m) => {
    const v = values.rules[m.index];
    const at = `rules[${m.index}]`;
    const ruleErrors = Object.keys(errors).filter((k) => k.startsWith(`${at}.`)).length;
    const changed = JSON.stringify(v) !== JSON.stringify(form.values.rules[m.index]);
    const offered = v.atLeast !== undefined || v.roles || v.window || v.deadline !== undefined || v.reminderDays !== undefined;
    return {
      key: String(m.index),
      label: (
        <Space wrap size={6}>
          <Tag color="blue">{kindLabel.get(m.id) ?? m.kind}</Tag>
          <span>{v.title}</span>
          {changed && <Tag color="gold">已修改</Tag>}
          {ruleErrors > 0 && <Tag color="red">{ruleErrors} 处错误</Tag>}
        </Space>
      ),
      children: offered ? (
        <Row gutter={12} data-testid={`rule-form-${m.id}`}>
          <Col xs={24}>
            <Field label="规则标题" error={errors[`${at}.title`]} hint={ownTitle.has(m.index) ? undefined : '标题中的数字随“要求”一起修改'}>
              <Input
                value={v.title}
                maxLength={100}
                onChange={(e) => {
                  setOwnTitle(new Set(ownTitle).add(m.index));
                  setRule(m.index, { title: e.target.value });
                }}
                aria-label="规则标题"
              />
            </Field>
          </Col>
          {v.atLeast !== undefined && (
            <Col xs={24} md={8}>
              <Field
                label={m.percent ? '要求（百分比）' : '要求'}
                error={errors[`${at}.atLeast`]}
                hint={form.values.rules[m.index].atLeast === null ? '原文未给出数字；填写后按此数字评估' : undefined}
              >
                <InputNumber
                  value={v.atLeast}
                  min={0}
                  onChange={(x) =>
                    setRule(m.index, {
                      atLeast: x ?? null,
                      ...(ownTitle.has(m.index) ? {} : { title: titleFor(form.values.rules[m.index].title, form.values.rules[m.index].atLeast, x ?? null) }),
                    })
                  }
                  addonBefore="≥"
                  addonAfter={m.unit || undefined}
                  style={{ width: '100%' }}
                  aria-label="要求"
                  data-testid="form-atLeast"
                />
              </Field>
            </Col>
          )}
          {v.roles && (
            <Col xs={24} md={16}>
              <Field
                label="适用岗位"
                error={errors[`${at}.who.role`]}
                hint={v.roles.length ? undefined : m.otherWho ? '不按岗位限定（其他条件见 YAML）' : '不选 = 全体教师'}
              >
                <Select
                  mode="multiple"
                  value={v.roles}
                  options={ROLE_OPTIONS}
                  onChange={(roles: string[]) => setRule(m.index, { roles })}
                  placeholder={m.otherWho ? '不按岗位限定' : '全体教师'}
                  aria-label="适用岗位"
                  data-testid="form-roles"
                />
              </Field>
            </Col>
          )}
          {v.window && windowFields(m.index, v.window)}
          {v.deadline !== undefined && (
            <Col xs={24} md={8}>
              <Field label="截止日期" error={errors[`${at}.deadline`]} hint="留空 = 应一直满足（即时）">
                <Input
                  value={v.deadline}
                  onChange={(e) => setRule(m.index, { deadline: e.target.value.trim() })}
                  placeholder="YYYY-MM-DD"
                  aria-label="截止日期"
                />
              </Field>
            </Col>
          )}
          {v.reminderDays !== undefined && (
            <Col xs={24} md={8}>
              <Field label="截止前提醒（天）" error={errors[`${at}.reminders.daysBefore`]} hint={v.reminderDays ? undefined : '按政策默认'}>
                {days(`${at}.reminders.daysBefore`, v.reminderDays, (d) => setRule(m.index, { reminderDays: d }))}
              </Field>
            </Col>
          )}
        </Row>
      ) : (
        <Typography.Text type="secondary">这条规则没有可在表单中修改的数字或期限，请在 YAML 中编辑。</Typography.Text>
      ),
    };
  });

  const review = async () => {
    if (Object.keys(local).length) {
      message.error(`表单有 ${Object.keys(local).length} 处错误，请按红色提示修改`);
      setOpen([...new Set([...open, ...Object.keys(local).flatMap((k) => /^rules\[(\d+)\]/.exec(k)?.slice(1, 2) ?? [])])]);
      return;
    }
    const text = applyForm(baseText, form, values);
    if (text === baseText) {
      message.info('表单没有改动');
      return;
    }
    setBusy(true);
    try {
      const r = await api.post<PolicyValidation>('/policies/validate', { text });
      if (!r.ok) {
        // The loader's paths name the same fields as the form; what the form does not show is listed above it.
        const at: Record<string, string> = {};
        const rest: string[] = [];
        for (const e of r.errors) {
          const f = fieldOfPath(e.path);
          if (f && (f.startsWith('period.') || f.startsWith('reminders') || /^rules\[\d+\]\.(title|atLeast|who\.role|window\.|deadline|reminders)/.test(f)))
            at[f] ??= e.message;
          else rest.push(e.message);
        }
        setServerErrors(at);
        setOtherErrors(rest);
        setOpen([...new Set([...open, ...Object.keys(at).flatMap((k) => /^rules\[(\d+)\]/.exec(k)?.slice(1, 2) ?? [])])]);
        message.error('修改后的政策未通过校验，请按提示修改');
        return;
      }
      onSubmit(text);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form layout="vertical" component="div" data-testid="policy-form">
      <Typography.Paragraph type="secondary">
        常用修改（学时等数字、统计期、截止日期、提醒天数、适用岗位）在这里填写，系统据此修改政策原文中对应的行，其余内容（包括注释）保持不变；其他修改请用 YAML
        编辑。发布前会显示与已发布版本的逐项和逐行对比。
      </Typography.Paragraph>
      <Row gutter={12}>
        <Col xs={12} md={6}>
          <Field label="实施期开始" error={errors['period.from']}>
            <Input
              value={values.periodFrom}
              onChange={(e) => change({ ...values, periodFrom: e.target.value.trim() })}
              placeholder="YYYY-MM-DD"
              aria-label="实施期开始"
            />
          </Field>
        </Col>
        <Col xs={12} md={6}>
          <Field label="实施期结束" error={errors['period.to']} hint={values.periodTo ? undefined : '长期（未规定截止日期）'}>
            <Input
              value={values.periodTo}
              onChange={(e) => change({ ...values, periodTo: e.target.value.trim() })}
              placeholder="留空为长期"
              aria-label="实施期结束"
            />
          </Field>
        </Col>
        <Col xs={24} md={12}>
          <Field
            label="默认截止前提醒（天）"
            error={errors['reminders.daysBefore']}
            hint={values.reminderDays ? '各规则未单独设置时使用' : '平台默认：截止前 7 天'}
          >
            {days('reminders.daysBefore', values.reminderDays, (d) => change({ ...values, reminderDays: d }))}
          </Field>
        </Col>
      </Row>
      {otherErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title="政策文本还有以下错误（请在 YAML 编辑中修改）"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {otherErrors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          }
        />
      )}
      <Collapse activeKey={open} onChange={(k) => setOpen(k as string[])} items={items} size="small" style={{ marginBottom: 12 }} />
      <Space wrap>
        <Button type="primary" icon={<EyeOutlined />} loading={busy} onClick={() => void review()} data-testid="form-review">
          预览改动并发布
        </Button>
        <Button
          icon={<UndoOutlined />}
          onClick={() => {
            change(form.values);
            setDaysText({});
            setOwnTitle(new Set());
          }}
        >
          撤销全部修改
        </Button>
      </Space>
    </Form>
  );
}
