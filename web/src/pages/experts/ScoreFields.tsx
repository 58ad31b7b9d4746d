import { Col, Form, Input, InputNumber, Row } from 'antd';
import { useIsMobile } from '../../hooks';
import { EXPERT_CRITERIA } from '../../vocab';

/** The scoring criteria in display order, with their Chinese labels. */
export const CRITERIA = Object.entries(EXPERT_CRITERIA) as [keyof typeof EXPERT_CRITERIA, string][];

/** The fields of an expert's score sheet (each criterion 0–100, and a comment), inside a Form. */
export default function ScoreFields({ commentPlaceholder }: { commentPlaceholder: string }) {
  const mobile = useIsMobile();
  return (
    <>
      <Row gutter={12}>
        {CRITERIA.map(([k, l]) => (
          <Col key={k} span={mobile ? 12 : 6}>
            <Form.Item name={['criteria', k]} label={l} rules={[{ required: true, message: `请填写${l}` }]}>
              <InputNumber min={0} max={100} precision={1} style={{ width: '100%' }} placeholder="0–100" aria-label={l} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Form.Item name="comment" label="评语" rules={[{ max: 1000, message: '不超过 1000 字' }]}>
        <Input.TextArea rows={3} placeholder={commentPlaceholder} aria-label="评语" />
      </Form.Item>
    </>
  );
}
