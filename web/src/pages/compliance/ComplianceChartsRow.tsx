import { lazy, Suspense } from 'react';
import { Alert, Card, Col, Row, Select, Typography } from 'antd';
import { errorText } from '../../api/client';
import type { ComplianceOrgChild, ComplianceRuleSummary, ComplianceTrend } from '../../api/types';
import { EmptyState, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { countsText } from './parts';
import { inapplicable } from './RuleCells';

const Charts = lazy(() => import('./ComplianceCharts').then((m) => ({ default: m.ShareBarChart })));
const Trend = lazy(() => import('./ComplianceCharts').then((m) => ({ default: m.TrendChart })));

/** The charts of the 合规看板: 达标率 by rule (a school) or by child org for the chosen rule, and the trend over the period. */
export default function ComplianceChartsRow({
  rules,
  ruleId,
  atSchool,
  orgChildren,
  trend,
  trendError,
  onRule,
  onOrg,
}: {
  rules: ComplianceRuleSummary[];
  ruleId: string | undefined;
  atSchool: boolean;
  orgChildren: ComplianceOrgChild[];
  trend: ComplianceTrend | undefined;
  trendError: Error | null;
  onRule: (id: string) => void;
  onOrg: (id: number) => void;
}) {
  const mobile = useIsMobile();
  const rule = rules.find((r) => r.id === ruleId);
  const barsForChildren = orgChildren.map((c) => {
    const t = ruleId ? c.totals[ruleId] : undefined;
    return {
      name: c.name,
      share: t?.share ?? null,
      detail: t ? countsText(t) : '不适用',
    };
  });
  const ruleBars = rules.filter((r) => r.totals.share !== null);
  const barsForRules = ruleBars.map((r) => ({ name: r.title, share: r.totals.share, detail: countsText(r.totals) }));

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card
          size={mobile ? 'small' : undefined}
          title={atSchool ? '各规则达标率（本校）' : `下级单位达标率${rule ? `：${rule.title}` : ''}`}
          extra={
            !atSchool && (
              <Select
                size="small"
                value={ruleId}
                onChange={(v: string) => onRule(v)}
                options={rules.filter((r) => !inapplicable(r)).map((r) => ({ value: r.id, label: r.title }))}
                style={{ width: mobile ? 160 : 240 }}
                popupMatchSelectWidth={false}
                aria-label="规则"
              />
            )
          }
        >
          <Suspense fallback={<PageLoading />}>
            {atSchool ? (
              <Charts
                bars={barsForRules}
                horizontal
                height={Math.max(200, barsForRules.length * 30 + 40)}
                onPick={(i) => onRule(ruleBars[i].id)}
                testId="rules-chart"
              />
            ) : orgChildren.length ? (
              <Charts bars={barsForChildren} height={mobile ? 260 : 320} onPick={(i) => orgChildren[i] && onOrg(orgChildren[i].id)} testId="children-chart" />
            ) : (
              <EmptyState text="没有下级单位" />
            )}
          </Suspense>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card
          size={mobile ? 'small' : undefined}
          title="达标率趋势"
          extra={
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              实施期各年末{trend?.points.length && trend.points[trend.points.length - 1].asOf.slice(5) !== '12-31' ? '及评估日' : ''}
            </Typography.Text>
          }
        >
          {trendError ? (
            <Alert type="warning" showIcon title="趋势暂不可用" description={errorText(trendError)} />
          ) : !trend ? (
            <PageLoading tip="正在计算趋势…" />
          ) : (
            <Suspense fallback={<PageLoading />}>
              <Trend trend={trend} ruleId={ruleId} ruleTitle={rule?.title} />
            </Suspense>
          )}
        </Card>
      </Col>
    </Row>
  );
}
