import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Col, List, Row, Select, Space, Statistic, Tag, Typography } from 'antd';
import { ApartmentOutlined, BarChartOutlined, CloudUploadOutlined, ProjectOutlined, RightOutlined, TeamOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, errorText } from '../../api/client';
import type { ApprovalItem, HoursSummary, MyProject, MySession, Page, ProjectDto, TeacherHours } from '../../api/types';
import AttendanceTag from '../../components/AttendanceTag';
import { isAdmin, useAuth } from '../../auth';
import { SummaryChart } from '../../components/HoursChart';
import { flattenOrgs, useOrgTree } from '../../components/orgs';
import { EmptyState, PageLoading } from '../../components/Status';
import { useIsMobile } from '../../hooks';
import { CATEGORIES, label, PROJECT_FORMS } from '../../vocab';
import { CategoryBreakdown } from '../../components/HoursLedger';
import MyComplianceCard from '../compliance/MyComplianceCard';
import { PROJECT_STATES, STATUS_COLORS } from '../projects/status';
import TodoCard from '../todo/TodoCard';
import { chinaTodayISO, chinaYear } from '../../china-time';

const fmt = (n: number) => (Math.round(n * 10) / 10).toLocaleString('zh-CN');

function AdminHome() {
  const { me, can } = useAuth();
  const nav = useNavigate();
  const thisYear = chinaYear();
  const [year, setYear] = useState(thisYear);
  const [fellBack, setFellBack] = useState(false);
  const { tree, loading: treeLoading } = useOrgTree(me?.id);
  const orgs = flattenOrgs(tree);
  const summaryQuery = useQuery({ queryKey: ['hours', 'summary', { year }], queryFn: () => api.get<HoursSummary>('/hours/summary', { year }) });
  const summary = { data: summaryQuery.data, loading: summaryQuery.isFetching, error: summaryQuery.error };
  // Only bureau admins decide on proposals; for others the inbox is always empty.
  const approvals = useQuery({
    queryKey: ['approvals', 'projects'],
    queryFn: () => api.get<{ items: ApprovalItem[] }>('/approvals/projects'),
    enabled: me?.role === 'bureauAdmin',
  });
  const pending = approvals.data?.items ?? [];
  // Projects enrolling or under way in the caller's area.
  const active = useQuery({
    queryKey: ['projects', 'active-count'],
    queryFn: () =>
      Promise.all(['open', 'running'].map((status) => api.get<Page<ProjectDto>>('/projects', { status, page: 1, pageSize: 1 }))).then((r) =>
        r.reduce((n, x) => n + x.total, 0),
      ),
  });
  const schools = orgs.filter((o) => o.kind === 'school').length;
  const teachers = tree.reduce((s, n) => s + n.totalTeachers, 0);
  const rows = summary.data?.rows ?? [];
  const perTeacher = rows.some((r) => r.kind === 'teacher');
  const totalHours = rows.reduce((s, r) => s + r.totalHours, 0);
  const counted = rows.reduce((s, r) => s + r.teachers, 0);
  // Early in a year nothing is recognised yet: show last year once, rather than an empty chart.
  useEffect(() => {
    if (!fellBack && year === thisYear && summary.data && !summary.loading && !summary.data.rows.some((r) => r.totalHours)) {
      setFellBack(true);
      setYear(thisYear - 1);
    }
  }, [fellBack, year, thisYear, summary.data, summary.loading]);

  const links = [
    { to: '/teachers', icon: <TeamOutlined />, text: '教师管理', show: true },
    { to: '/teachers/import', icon: <CloudUploadOutlined />, text: '批量导入教师', show: can('teachers.import') },
    { to: '/projects', icon: <ProjectOutlined />, text: '培训项目', show: true },
    { to: '/hours/summary', icon: <BarChartOutlined />, text: '学时统计', show: true },
    { to: '/orgs', icon: <ApartmentOutlined />, text: '组织机构', show: true },
  ].filter((l) => l.show);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic loading={treeLoading} title="在职教师" value={teachers} suffix="人" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          {schools > 1 ? (
            <Card>
              <Statistic loading={treeLoading} title="学校" value={schools} suffix="所" />
            </Card>
          ) : (
            <Card>
              <Statistic loading={active.isPending} title="进行中的培训项目" value={active.data ?? 0} suffix="个" />
            </Card>
          )}
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic loading={summary.loading} title={`${year}年 累计学时`} value={fmt(totalHours)} suffix="学时" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              loading={summary.loading}
              title={`${year}年 人均学时`}
              value={counted ? fmt(totalHours / counted) : '—'}
              suffix={counted ? '学时' : undefined}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={17}>
          <Card
            title={perTeacher ? `${year}年 本校教师学时（按培训类别）` : `${year}年 各单位人均学时（按培训类别）`}
            extra={
              <Space>
                <Select
                  size="small"
                  value={year}
                  onChange={(v: number) => {
                    setFellBack(true);
                    setYear(v);
                  }}
                  options={[0, 1, 2, 3].map((i) => ({ value: thisYear - i, label: `${thisYear - i}年` }))}
                  aria-label="年度"
                />
                <Link to={`/hours/summary?year=${year}`}>
                  学时统计 <RightOutlined />
                </Link>
              </Space>
            }
          >
            {summary.loading ? (
              <PageLoading />
            ) : summary.error ? (
              <Alert type="warning" showIcon title="学时统计暂不可用" description={errorText(summary.error)} />
            ) : (
              <SummaryChart rows={rows} onPick={(r) => nav(r.kind === 'teacher' ? `/teachers/${r.id}` : `/hours/summary?year=${year}&orgId=${r.id}`)} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={7}>
          {pending.length > 0 && (
            <Card
              title={
                <span>
                  待我审批 <Tag color="red">{pending.length}</Tag>
                </span>
              }
              style={{ marginBottom: 16 }}
              data-testid="approval-inbox"
            >
              <List
                size="small"
                dataSource={pending.slice(0, 6)}
                renderItem={(p) => (
                  <List.Item key={p.id} extra={<Link to={`/projects/${p.id}`}>处理</Link>}>
                    <List.Item.Meta title={p.name} description={`${p.orgName} · ${p.waitingFor}${p.step ? `（第 ${p.step}/${p.steps} 级）` : ''}`} />
                  </List.Item>
                )}
              />
            </Card>
          )}
          <Card title="快捷入口">
            <Space orientation="vertical" style={{ width: '100%' }}>
              {links.map((l) => (
                <Link key={l.to} to={l.to}>
                  <Button block icon={l.icon} style={{ justifyContent: 'flex-start' }}>
                    {l.text}
                  </Button>
                </Link>
              ))}
            </Space>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

interface UpcomingSession extends MySession {
  key: string;
  projectName: string;
}

/** The next sessions from today on, across all the teacher's projects. */
function upcoming(projects: MyProject[]): UpcomingSession[] {
  const today = chinaTodayISO();
  return projects
    .flatMap((p) => p.sessions.map((s) => ({ ...s, key: `${p.id}-${s.id}`, projectName: p.name })))
    .filter((s) => s.date >= today)
    .sort((a, b) => (a.date + a.startTime).localeCompare(b.date + b.startTime))
    .slice(0, 6);
}

function TeacherHome() {
  const { me } = useAuth();
  const mobile = useIsMobile();
  const year = chinaYear();
  const hours = useQuery({ queryKey: ['hours', 'me'], queryFn: () => api.get<TeacherHours>('/hours/me') });
  const projects = useQuery({ queryKey: ['my', 'projects'], queryFn: () => api.get<MyProject[]>('/my/projects') });
  const list = projects.data ?? [];
  const years = [...(hours.data?.years ?? [])].sort((a, b) => b.year - a.year);
  const current = years.find((y) => y.year === year);
  // The breakdown shows this year, or the latest year that has hours.
  const shown = current?.total ? current : years.find((y) => y.total);
  const fiveYears = years.filter((y) => y.year > year - 5).reduce((n, y) => n + y.total, 0);
  const sessions = upcoming(list);
  return (
    <Space orientation="vertical" size={mobile ? 12 : 16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        您好，{me?.displayName}
      </Typography.Title>
      <MyComplianceCard />
      <Row gutter={[12, 12]}>
        <Col xs={24} md={10}>
          <Card title="我的学时" size={mobile ? 'small' : undefined} extra={<Link to="/my/hours">查看全部</Link>} loading={hours.isPending}>
            {hours.error ? (
              <Alert type="warning" showIcon title={errorText(hours.error)} />
            ) : (
              <>
                <Row gutter={12}>
                  <Col span={12}>
                    <Statistic title={`${year}年已认定`} value={fmt(current?.total ?? 0)} suffix="学时" />
                  </Col>
                  <Col span={12}>
                    <Statistic title={`近五年累计（${year - 4}–${year}）`} value={fmt(fiveYears)} suffix="学时" />
                  </Col>
                </Row>
                {shown && (
                  <div style={{ marginTop: 12 }}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {shown.year}年分类学时
                    </Typography.Text>
                    <CategoryBreakdown byCategory={shown.byCategory} />
                  </div>
                )}
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} md={14}>
          <Card title="近期培训" size={mobile ? 'small' : undefined} extra={<Link to="/my/projects">我的培训</Link>} loading={projects.isPending}>
            {projects.error ? (
              <Alert type="warning" showIcon title={errorText(projects.error)} />
            ) : sessions.length === 0 ? (
              <EmptyState text="近期没有培训安排" />
            ) : (
              <List
                dataSource={sessions}
                renderItem={(s) => (
                  <List.Item key={s.key} extra={<AttendanceTag s={s} />}>
                    <List.Item.Meta
                      title={s.title}
                      description={
                        <span>
                          {s.projectName}
                          <br />
                          {s.date} {s.startTime}–{s.endTime} {s.place ? `· ${s.place}` : ''}
                        </span>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

function InstitutionHome() {
  const { me } = useAuth();
  // 进行中 is both 报名中 (open) and 实施中 (running), as on the admins' home.
  const projects = useQuery({
    queryKey: ['projects', 'active-first'],
    queryFn: () =>
      Promise.all(['open', 'running'].map((status) => api.get<Page<ProjectDto>>('/projects', { status, page: 1, pageSize: 8 }))).then((pages) => ({
        items: pages
          .flatMap((pg) => pg.items)
          .sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''))
          .slice(0, 8),
      })),
  });
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {me?.orgName}
      </Typography.Title>
      <Card title="进行中的培训项目" extra={<Link to="/projects">全部项目</Link>} loading={projects.isPending}>
        {projects.error ? (
          <Alert type="warning" showIcon title={errorText(projects.error)} />
        ) : !projects.data?.items.length ? (
          <EmptyState text="暂无进行中的项目">
            <Link to="/projects/new">
              <Button type="primary">立项申报</Button>
            </Link>
          </EmptyState>
        ) : (
          <List
            dataSource={projects.data.items}
            renderItem={(p) => (
              <List.Item
                key={p.id}
                extra={
                  <Space>
                    <Tag color={STATUS_COLORS[p.status]}>{p.statusLabel || label(PROJECT_STATES, p.status)}</Tag>
                    <Link to={`/projects/${p.id}`}>详情</Link>
                  </Space>
                }
              >
                <List.Item.Meta
                  title={p.name}
                  description={`${label(PROJECT_FORMS, p.form)} · ${p.startDate} 至 ${p.endDate} · ${p.sessionCount} 场次 · ${p.enrolledCount} 名学员 · ${p.categories.map((c) => label(CATEGORIES, c)).join('、')}`}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </Space>
  );
}

function RoleHome() {
  const { me } = useAuth();
  if (!me) return null;
  if (me.role === 'teacher') return <TeacherHome />;
  if (me.role === 'institution') return <InstitutionHome />;
  return isAdmin(me) ? <AdminHome /> : <EmptyState />;
}

/** Every role's home: the 待办中心 (issue 11 item 2) on top, then the role's own dashboard. */
export default function HomePage() {
  const { me } = useAuth();
  const mobile = useIsMobile();
  if (!me) return null;
  return (
    <Space orientation="vertical" size={mobile ? 12 : 16} style={{ width: '100%' }}>
      <TodoCard />
      <RoleHome />
    </Space>
  );
}
