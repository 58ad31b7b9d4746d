import { Popover, Space, Tag, Typography } from 'antd';
import type { OrgNode } from '../../api/types';
import { findOrgPath, flattenOrgs } from '../../components/orgs';
import type { RuleRef } from './types';

const PER: Record<string, string> = { school: '每所学校', county: '每个旗县区', region: '全区域' };
const AGG: Record<string, string> = { perYear: '每年', cumulative: '累计', average: '年均' };

/** How a rule uses the figure, in a few words: '每年 ≥ 15', '每所学校 培训经费 ÷ 此项 ≥ 5%'. */
export function ruleReading(r: RuleRef): string {
  if (r.per) {
    const side = r.role === 'denominator' ? '作为分母' : '作为分子';
    const figure = r.atLeast === null ? '原文未给出比例' : `比例 ≥ ${Math.round(r.atLeast * 1000) / 10}%`;
    return `${PER[r.per] ?? r.per}，${side}，${figure}`;
  }
  const years = r.years ? `${r.years.from}—${r.years.to} 年` : '';
  return `${years}${AGG[r.aggregate ?? ''] ?? ''}${r.atLeast === null ? '（原文未给出数字）' : ` ≥ ${r.atLeast}`}`;
}

/** One rule a figure feeds: its title as a tag; the policy, citation and reading on hover/tap. */
export function RuleTag({ rule }: { rule: RuleRef }) {
  return (
    <Popover
      title={rule.title}
      content={
        <div style={{ maxWidth: 420 }}>
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            《{rule.policyTitle}》 {rule.cite.section}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            “{rule.cite.text}”
          </Typography.Paragraph>
          <Typography.Text>判定：{ruleReading(rule)}</Typography.Text>
          {rule.regions.length > 0 && (
            <div>
              <Typography.Text type="secondary">适用：{rule.regions.map((x) => x.orgName).join('、')}</Typography.Text>
            </div>
          )}
        </div>
      }
    >
      <Tag
        color="blue"
        style={{ cursor: 'help', marginBottom: 4, maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis', verticalAlign: 'top' }}
        data-testid="rule-tag"
      >
        {rule.title}
      </Tag>
    </Popover>
  );
}

/** The rules a metric feeds; a plain note when none of the policies here uses it. */
export function RuleRefs({ rules }: { rules: RuleRef[] | undefined }) {
  if (!rules?.length) return <Typography.Text type="secondary">当前适用的政策中没有规则使用此项</Typography.Text>;
  return (
    <Space size={[0, 0]} wrap>
      {rules.map((r) => (
        <RuleTag key={`${r.policyId}:${r.ruleId}:${r.role ?? ''}`} rule={r} />
      ))}
    </Space>
  );
}

/** Short citation for a table cell: 《政策》 章节. */
export const citeText = (r: RuleRef) => `《${r.policyTitle}》${r.cite.section}`;

/**
 * The rules that judge a figure of this org. The policy must be attached to the org or an ancestor (one
 * attached above the caller's tree, so not in it, covers the whole tree); and the rule must judge this
 * kind of org: targets and per-region funding the attached org itself, per-school funding a school,
 * per-county funding a county bureau.
 */
export function applicableRules(rules: RuleRef[], tree: OrgNode[], orgId: number | undefined): RuleRef[] {
  if (orgId === undefined) return rules;
  const chainNodes = findOrgPath(tree, orgId);
  const node = chainNodes[chainNodes.length - 1];
  if (!node) return rules;
  const inTree = new Set(flattenOrgs(tree).map((n) => n.id));
  const chain = new Set(chainNodes.map((n) => n.id));
  return rules.filter((r) => {
    if (r.per === null || r.per === 'region') return r.regions.some((g) => g.orgId === orgId);
    if (r.per === 'school' && node.kind !== 'school') return false;
    if (r.per === 'county' && !(node.kind === 'bureau' && node.level === 'county')) return false;
    return r.regions.some((g) => chain.has(g.orgId) || !inTree.has(g.orgId));
  });
}
