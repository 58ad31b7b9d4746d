import { Space, Tag, Typography } from 'antd';
import { TERM_LABEL, type Inputs } from './types';

const ok = (met: boolean, text: string) => <Tag color={met ? 'green' : 'orange'}>{text}</Tag>;

/** The inputs the platform gathered for a teacher's year, one tag each; what blocks 优秀 below. */
export function InputsView({ inputs, compact = false }: { inputs: Inputs; compact?: boolean }) {
  const ar = inputs.academicReview.terms.map((t) => `${TERM_LABEL[t.term] ?? t.term} ${t.reviewed}/${t.students}`).join('，');
  return (
    <Space orientation="vertical" size={4}>
      <Space wrap size={4}>
        {inputs.hours ? ok(inputs.hours.met, inputs.hours.met ? '学时达标' : '学时未达标') : <Tag>学时：评为优秀时核查</Tag>}
        {ok(inputs.academicReview.met, `学业述评${ar ? `（${ar}）` : '（无记录）'}`)}
        {ok(inputs.homeVisits.met, `家访 ${inputs.homeVisits.count} 次 / ${inputs.homeVisits.families} 户`)}
        {ok(inputs.trainings.met, `选派培训 ${inputs.trainings.attended}/${inputs.trainings.required}`)}
        {inputs.veto.pass ? <Tag color="red">师德：只能评为不合格</Tag> : inputs.veto.excellent ? <Tag color="red">师德：不得评为优秀</Tag> : null}
      </Space>
      {!compact && [...inputs.blocksPass, ...inputs.blocksExcellent].length ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {[...inputs.blocksPass, ...inputs.blocksExcellent].join('；')}
        </Typography.Text>
      ) : null}
    </Space>
  );
}
