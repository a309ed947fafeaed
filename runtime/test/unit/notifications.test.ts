import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SocketMessage } from '@switchboard/shared';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../src/db/database';
import { createSmtpMailer } from '../../src/effects/mailer';
import { createNotifier } from '../../src/effects/notifications';
import { LiveHub } from '../../src/live/liveHub';
import { demoDatabase } from '../support/testDatabase';

interface ReceivedMail {
  to: string[];
  data: string;
}

let db: AppDatabase;
let smtp: SMTPServer;
let smtpPort: number;
let mails: ReceivedMail[];
let slack: Server;
let slackUrl: string;
let slackPosts: unknown[];

beforeEach(async () => {
  db = demoDatabase().db;
  mails = [];
  slackPosts = [];
  // A real SMTP peer on loopback: the mailer speaks the protocol to it, nothing is stubbed.
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
  smtpPort = (smtp.server.address() as AddressInfo).port;
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      slackPosts.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/XXX`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => slack.close(() => resolve()));
  db.$client.close();
});

describe('notifications', () => {
  it('in the app, by e-mail and on Slack, to the team lead; a retry delivers nothing twice', async () => {
    const live = new LiveHub();
    const pushed: SocketMessage[] = [];
    live.subscribe('agent_ben', (message) => pushed.push(message));
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`, 'Switchboard <sb@test>');
    const notify = createNotifier(db, live, mailer, pino({ level: 'silent' }));
    const request = {
      key: 'exec-1:page:1:1',
      conversationId: 'conv-1',
      to: { kind: 'teamLead' as const, teamId: 'team_support' },
      channels: ['in_app' as const, 'email' as const, 'slack' as const],
      title: 'Escalated: Maria waits 15 min',
      body: 'Nobody acknowledged the conversation.',
      slackWebhookUrl: slackUrl,
    };

    expect(await notify(request, 1000)).toEqual(['agent_ben']);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['ben@demo.switchboard']);
    expect(mails[0]?.data).toContain('Subject: Escalated: Maria waits 15 min');
    expect(slackPosts).toEqual([
      { text: '*Escalated: Maria waits 15 min*\nNobody acknowledged the conversation.' },
    ]);
    expect(pushed).toEqual([
      {
        type: 'notification',
        notification: expect.objectContaining({ title: 'Escalated: Maria waits 15 min' }),
      },
    ]);
    const rows = db.$client
      .prepare(`SELECT agent_id, channel, delivered_at FROM notifications ORDER BY channel`)
      .all();
    expect(rows).toEqual([
      { agent_id: 'agent_ben', channel: 'email', delivered_at: 1000 },
      { agent_id: 'agent_ben', channel: 'in_app', delivered_at: 1000 },
    ]);

    // Temporal retried the activity: the same key delivers nothing again (Slack has no delivery record).
    await notify({ ...request, channels: ['in_app', 'email'] }, 2000);
    expect(mails).toHaveLength(1);
    expect(pushed).toHaveLength(1);
  });

  it('without SMTP an e-mail is stored undelivered; the in-app one still arrives', async () => {
    const notify = createNotifier(db, new LiveHub(), null, pino({ level: 'silent' }));
    await notify(
      {
        key: 'k2',
        conversationId: 'conv-2',
        to: { kind: 'agents', agentIds: ['agent_ana', 'agent_nobody'] },
        channels: ['email', 'in_app'],
        title: 't',
        body: 'b',
        slackWebhookUrl: null,
      },
      5,
    );
    const rows = db.$client
      .prepare(`SELECT agent_id, channel, delivered_at FROM notifications ORDER BY channel`)
      .all();
    expect(rows).toEqual([
      { agent_id: 'agent_ana', channel: 'email', delivered_at: null },
      { agent_id: 'agent_ana', channel: 'in_app', delivered_at: 5 },
    ]);
  });
});
