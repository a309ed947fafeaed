import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsAggregator } from '../../src/analytics/aggregator';
import { analyticsRoutes } from '../../src/analytics/analyticsRoutes';
import { createDashboardQuery } from '../../src/analytics/dashboardQuery';
import { createReportMailer, lastCompletePeriod } from '../../src/analytics/reportMailer';
import { createReportSubscriptions } from '../../src/analytics/reportSubscriptions';
import { installErrorHandler } from '../../src/api/httpError';
import { createSmtpMailer } from '../../src/effects/mailer';
import { createSlaPolicyStore } from '../../src/sla/slaPolicyStore';
import { slaRoutes } from '../../src/sla/slaRoutes';
import { handBuiltScenario, june } from '../support/analyticsScenario';

const { db, range } = handBuiltScenario();
const http = Fastify();
const reports = createReportSubscriptions(db);
const query = new URLSearchParams({
  from: String(range.from),
  to: String(range.to),
  timeZone: range.timeZone,
});

beforeAll(async () => {
  installErrorHandler(http);
  await http.register(slaRoutes, { db, policies: createSlaPolicyStore(db) });
  await http.register(analyticsRoutes, { db, aggregator: createAnalyticsAggregator(db), reports });
});
afterAll(() => http.close());

describe('dashboard API', () => {
  it('answers the scenario’s figures', async () => {
    const reply = await http.inject({ url: `/api/analytics/summary?${query}` });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().totals).toMatchObject({ inbound: 4, backlog: 2, sla: { attainment: 0.4 } });
  });

  it('exports one CSV line per Berlin day', async () => {
    const reply = await http.inject({ url: `/api/analytics/export.csv?${query}` });
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
    // Monday: c1 10 min and c2 60 min → 35.0 (c1's 09:02 workflow greeting is outbound but no response);
    // c1 resolved in 120.0; SLA met 2 of 4 that day (c2's and c1's breaches). Tuesday: c3's greeting only.
    expect(reply.body.split('\r\n')).toEqual([
      'date,inbound,outbound,opened,closed,first_response_avg_minutes,resolution_avg_minutes,sla_attainment_percent,backlog',
      '2026-06-01,3,4,2,1,35.0,120.0,50.0,1',
      '2026-06-02,1,1,1,0,,,0.0,2',
      '',
    ]);
  });

  it('names the bad field: a range that ends before it starts, an unknown zone', async () => {
    const backwards = await http.inject({
      url: `/api/analytics/summary?from=${june(2, 0)}&to=${june(1, 0)}`,
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error).toMatchObject({ code: 'invalid_request', field: 'to' });
    const zone = await http.inject({ url: `/api/analytics/summary?${query}&timeZone=Mars/Base` });
    expect(zone.json().error.field).toBe('timeZone');
    const twoFilters = await http.inject({ url: `/api/analytics/summary?${query}&agentId=ana&tag=vip` });
    expect(twoFilters.json().error).toMatchObject({
      field: 'tag',
      message: 'filter by one of agentId, tag at a time',
    });
    const missing = await http.inject({ url: '/api/analytics/summary' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('from');
  });
});

describe('SLA policy API', () => {
  it('creates, reads, updates and deletes a policy; bad targets are refused by field', async () => {
    const created = await http.inject({
      method: 'POST',
      url: '/api/sla/policies',
      payload: { name: 'VIP', match: { tag: 'vip' }, firstResponseMinutes: 5 },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    const updated = await http.inject({
      method: 'PUT',
      url: `/api/sla/policies/${id}`,
      payload: { name: 'VIP', match: { tag: 'vip' }, firstResponseMinutes: 3, warnAtPercent: 50 },
    });
    expect(updated.json()).toMatchObject({ firstResponseMinutes: 3, warnAtPercent: 50 });
    expect((await http.inject({ url: `/api/sla/policies/${id}` })).json().firstResponseMinutes).toBe(3);
    const bad = await http.inject({
      method: 'POST',
      url: '/api/sla/policies',
      payload: { name: 'x', firstResponseMinutes: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('firstResponseMinutes');
    expect((await http.inject({ method: 'DELETE', url: `/api/sla/policies/${id}` })).statusCode).toBe(204);
    expect((await http.inject({ url: `/api/sla/policies/${id}` })).statusCode).toBe(404);
  });

  it('shows a conversation’s clocks', async () => {
    const reply = await http.inject({ url: '/api/conversations/c2/sla' });
    expect(
      reply.json().clocks.map((clock: { measure: string; state: string }) => [clock.measure, clock.state]),
    ).toEqual([
      ['first_response', 'breached'],
      ['resolution', 'paused'],
    ]);
  });
});

describe('report e-mails', () => {
  let smtp: SMTPServer;
  let port: number;
  const mails: Array<{ to: string[]; data: string }> = [];
  beforeAll(async () => {
    // A real SMTP peer on loopback, as in the notification tests.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk) => {
          data += chunk;
        });
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  it('the last complete Berlin week before Wednesday 10 June is Monday 1 June 00:00 CEST to Monday 8 June', () => {
    // Berlin is UTC+2 in June: local midnight is 22:00Z the day before.
    expect(lastCompletePeriod('weekly', 'Europe/Berlin', june(10, 12))).toEqual({
      key: 'week of 2026-06-01',
      label: 'week of 2026-06-01 to 2026-06-07',
      from: Date.UTC(2026, 4, 31, 22),
      to: Date.UTC(2026, 5, 7, 22),
    });
    expect(lastCompletePeriod('monthly', 'Europe/Berlin', june(10, 12))).toMatchObject({
      key: '2026-05',
      from: Date.UTC(2026, 3, 30, 22),
      to: Date.UTC(2026, 4, 31, 22),
    });
  });

  it('sends the weekly report once, with the scenario’s figures', async () => {
    const created = await http.inject({
      method: 'POST',
      url: '/api/analytics/reports',
      payload: { email: 'lead@example.test', period: 'weekly', timeZone: 'Europe/Berlin' },
    });
    expect(created.statusCode).toBe(201);
    const badEmail = await http.inject({
      method: 'POST',
      url: '/api/analytics/reports',
      payload: { email: 'nobody', period: 'weekly' },
    });
    expect(badEmail.json().error.field).toBe('email');
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}?ignoreTLS=true`, 'Switchboard <sb@test>');
    const sendDueReports = createReportMailer(reports, createDashboardQuery(db), mailer);
    expect(await sendDueReports(june(10, 12))).toBe(1);
    expect(await sendDueReports(june(10, 13))).toBe(0);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['lead@example.test']);
    const body = mails[0]?.data.replace(/=\r\n/g, '') ?? '';
    expect(body).toContain('Subject: Switchboard weekly report: week of 2026-06-01 to 2026-06-07');
    expect(body).toContain('Messages in / out: 4 / 5'); // 2 of the 5 out are workflow greetings
    expect(body).toContain('First response, average: 35 min (2)');
    expect(body).toContain('SLA attainment: 40.0 % (2 met, 3 breached)');
  });
});
