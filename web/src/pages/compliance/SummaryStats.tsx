import { Col, Row, Statistic } from 'antd';
import type { ComplianceSummary } from '../../api/types';
import { pct, STATUS_HEX } from './parts';

/** The 合规看板's headline figures: teachers evaluated and complete, overdue, and rules by outcome. */
export default function SummaryStats({ data }: { data: ComplianceSummary }) {
  const rules = data.rules;
  const compliantAll = data.teachers;
  const rulesShort = rules.filter((r) => r.totals.overdue > 0 || r.result?.status === 'overdue').length;
  const rulesPending = rules.filter((r) => r.totals.inProgress + r.totals.dueSoon > 0).length;
  const rulesNoData = rules.filter((r) => r.totals.subjects > 0 && r.totals.noData === r.totals.subjects).length;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} md={8} xl={4}>
        <Statistic title="参与评估的教师" value={compliantAll?.evaluated ?? 0} suffix="人" />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Statistic title="各项均已完成的教师" value={pct(compliantAll?.share)} />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Statistic
          title="有逾期未达标要求的教师"
          value={compliantAll?.overdue ?? 0}
          suffix="人"
          styles={{ content: { color: compliantAll?.overdue ? STATUS_HEX.overdue : undefined } }}
          data-testid="teachers-overdue"
        />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Statistic title="有未达标对象的规则" value={rulesShort} suffix={`/ ${rules.length} 条`} />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Statistic
          title="有进行中或临期对象的规则"
          value={rulesPending}
          suffix="条"
          styles={{ content: { color: STATUS_HEX.inProgress } }}
          data-testid="rules-pending"
        />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Statistic title="暂无数据的规则" value={rulesNoData} suffix="条" />
      </Col>
    </Row>
  );
}
