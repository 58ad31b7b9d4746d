import { z } from 'zod';
import { Id, IsoDate, MinText, Text, Year } from '../../platform/schemas.js';
import { BUDGET_SOURCES, FUND_CATEGORIES } from '../policies/policy.funds.js';

/** Yuan with at most 2 decimals, turned into fen (an integer) — money is never a float past this point. */
export const Yuan = (label: string, opts: { allowZero?: boolean } = {}) =>
  z.union([z.number({ error: `${label}应为金额（元）` }), z.string()], { error: `${label}应为金额（元）` }).transform((v, c) => {
    const s = String(v).trim().replace(/,/g, '');
    if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) {
      c.addIssue({ code: 'custom', message: `${label}应为不超过两位小数的非负金额（元）` });
      return z.NEVER;
    }
    const [i, d = ''] = s.split('.');
    const fen = Number(i) * 100 + Number(d.padEnd(2, '0'));
    if (fen === 0 && !opts.allowZero) {
      c.addIssue({ code: 'custom', message: `${label}必须大于 0` });
      return z.NEVER;
    }
    return fen;
  });

const enumOf = <T extends Record<string, string>>(o: T, label: string) =>
  z.enum(Object.keys(o) as [keyof T & string, ...(keyof T & string)[]], { error: `${label}无效，应为：${Object.values(o).join('、')}` });

export const OrgYearQuery = z.object({ orgId: Id.optional(), year: Year.optional() });
export const YearQuery = z.object({ year: Year.optional() });
export const VoucherQuery = z.object({ entryId: Id });

const Reason = MinText(2, 200, '原因', '请填写原因（至少 2 个字）');

export const BudgetBody = z.object({
  orgId: Id.optional(),
  year: Year,
  amountYuan: Yuan('预算金额', { allowZero: true }),
  source: enumOf(BUDGET_SOURCES, '经费来源'),
  note: Text(200, '说明').default(''),
  /** Correct this budget row (it stops counting); the reason is required then. */
  supersedes: Id.optional(),
  reason: Reason.optional(),
});
export type BudgetInput = z.output<typeof BudgetBody>;

export const BaseBody = z.object({
  orgId: Id.optional(),
  year: Year,
  metric: z.enum(['publicFundBudget', 'salaryTotal'], { error: '基数应为 公用经费预算总额 或 教职工工资总额' }),
  amountYuan: Yuan('金额'),
  source: MinText(2, 200, '数据来源', '请填写数据来源（如 年度部门预算批复）'),
  /** Required when a figure for the org, year and metric exists: a correction supersedes it. */
  reason: Reason.optional(),
});
export type BaseInput = z.output<typeof BaseBody>;

export const EntryBody = z.object({
  orgId: Id.optional(),
  date: IsoDate,
  voucherNo: Text(40, '凭证号').default(''),
  projectId: Id,
  category: enumOf(FUND_CATEGORIES, '支出科目'),
  amountYuan: Yuan('支出金额'),
  voucherFileId: Id.optional(),
  note: Text(200, '备注').default(''),
});
export type EntryInput = z.output<typeof EntryBody>;

export const ReverseBody = z.object({ entryId: Id, reason: Reason });

export const OverrideBody = z.object({ orgId: Id, year: Year, amountYuan: Yuan('覆盖金额', { allowZero: true }), reason: Reason });
export const ClearOverrideBody = z.object({ orgId: Id, year: Year, reason: Reason });
