import { Alert, Descriptions, Typography } from 'antd';
import type { Receipt } from './ethics';

/** The tracking code and the secret, shown once after a report is filed (public page, or read out on the phone). */
export default function ReceiptCard({ receipt, readOut = false }: { receipt: Receipt; readOut?: boolean }) {
  return (
    <div data-testid="ethics-receipt">
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title={
          readOut
            ? '请把查询码和查询密码读给举报人，并请其记下。查询密码只显示这一次。'
            : '请抄下或截图保存查询码和查询密码。查询密码只显示这一次，丢失后无法找回。'
        }
      />
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="查询码">
          <Typography.Text strong copyable style={{ fontSize: 18 }} data-testid="ethics-code">
            {receipt.trackingCode}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="查询密码">
          <Typography.Text strong copyable style={{ fontSize: 18 }} data-testid="ethics-secret">
            {receipt.secret}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="受理单位">{receipt.handlingOrgName}</Descriptions.Item>
        <Descriptions.Item label="答复是否受理">{receipt.respondBy} 前</Descriptions.Item>
        <Descriptions.Item label="办结期限">{receipt.concludeBy} 前</Descriptions.Item>
        <Descriptions.Item label="查询密码有效期至">{receipt.secretExpiresAt.slice(0, 10)}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
