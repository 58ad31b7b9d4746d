import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Input, List, Modal, Space, Typography } from 'antd';
import { IdcardOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import { queryClient } from '../../api/query';
import type { TeacherDto } from '../../api/types';

/** A full 身份证号 (18 characters) or an 11-digit mobile number, as typed. */
export function exactKind(v: string): 'nationalId' | 'phone' | null {
  const s = v.trim().toUpperCase();
  if (/^\d{17}[\dX]$/.test(s)) return 'nationalId';
  if (/^1[3-9]\d{9}$/.test(s)) return 'phone';
  return null;
}

/**
 * 精确查找 (roles that may unmask): a full 身份证号 or phone number, sent in a POST body (never in the page URL,
 * which ends up in logs and browser history). The server limits how often and writes every search to the audit log.
 */
export default function ExactSearchButton() {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const search = useMutation({
    mutationFn: (v: string) => {
      const kind = exactKind(v);
      return api.post<{ items: TeacherDto[]; total: number }>('/teachers/search', kind === 'phone' ? { phone: v.trim() } : { nationalId: v.trim() });
    },
    // The search is itself a line of the audit log.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['audit'] }),
  });
  const close = () => {
    setOpen(false);
    setValue('');
    search.reset();
  };
  const valid = exactKind(value) !== null;
  return (
    <>
      <Button icon={<IdcardOutlined />} onClick={() => setOpen(true)} data-testid="exact-search">
        精确查找
      </Button>
      <Modal title="按身份证号或手机号精确查找" open={open} onCancel={close} footer={null} destroyOnHidden>
        <Typography.Paragraph type="secondary">
          输入完整的 18 位身份证号或 11 位手机号。每次查找都记入审计日志（只记查找方式和结果数，不记号码）。
        </Typography.Paragraph>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            value={value}
            onChange={(e) => setValue(e.target.value)}
            onPressEnter={() => valid && search.mutate(value)}
            placeholder="身份证号 / 手机号"
            autoComplete="off"
            data-testid="exact-search-input"
            status={value && !valid ? 'warning' : undefined}
          />
          <Button type="primary" disabled={!valid} loading={search.isPending} onClick={() => search.mutate(value)} data-testid="exact-search-go">
            查找
          </Button>
        </Space.Compact>
        {value && !valid && <Typography.Text type="warning">请输入完整的 18 位身份证号或 11 位手机号</Typography.Text>}
        {search.isError && <Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(search.error)} />}
        {search.data && (
          <List
            style={{ marginTop: 12 }}
            size="small"
            bordered
            data-testid="exact-search-results"
            locale={{ emptyText: '辖区内没有该身份证号或手机号的教师' }}
            dataSource={search.data.items}
            renderItem={(t) => (
              <List.Item>
                <Link to={`/teachers/${t.id}`} onClick={close}>
                  {t.name}
                </Link>
                <span>{t.orgName}</span>
                <Typography.Text style={{ fontFamily: 'monospace' }}>{t.nationalIdMasked}</Typography.Text>
              </List.Item>
            )}
          />
        )}
      </Modal>
    </>
  );
}
