import type { AppDatabase } from '../db/database';
import type { WorkflowStore } from '../workflows/workflowStore';
import { sampleRoutingGraph } from './sampleWorkflow';

export const DEMO_BUSINESS_NUMBER_ID = '100000000000001';
export const DEMO_WORKFLOW_ID = 'wf_default_routing';

/** Every demo person signs in with the demo password (see access/bootstrapAccess.ts) while DEMO is on. */
const agents: Array<{
  id: string;
  name: string;
  email: string;
  role?: 'manager';
  timeZone: string;
  skills: Array<{ skill: string; level: number }>;
}> = [
  {
    id: 'agent_ana',
    name: 'Ana Souza',
    email: 'ana@demo.switchboard',
    timeZone: 'America/Sao_Paulo',
    skills: [
      { skill: 'billing', level: 3 },
      { skill: 'portuguese', level: 5 },
    ],
  },
  {
    id: 'agent_ben',
    name: 'Ben Carter',
    role: 'manager',
    email: 'ben@demo.switchboard',
    timeZone: 'Europe/London',
    skills: [{ skill: 'technical', level: 4 }],
  },
  {
    id: 'agent_chloe',
    name: 'Chloé Martin',
    email: 'chloe@demo.switchboard',
    timeZone: 'Europe/Paris',
    skills: [
      { skill: 'billing', level: 4 },
      { skill: 'french', level: 5 },
    ],
  },
  {
    id: 'agent_dev',
    name: 'Dev Patel',
    email: 'dev@demo.switchboard',
    timeZone: 'Asia/Kolkata',
    skills: [
      { skill: 'technical', level: 5 },
      { skill: 'hindi', level: 5 },
    ],
  },
  {
    id: 'agent_emma',
    name: 'Emma Schmidt',
    role: 'manager',
    email: 'emma@demo.switchboard',
    timeZone: 'Europe/Berlin',
    skills: [
      { skill: 'sales', level: 4 },
      { skill: 'german', level: 5 },
    ],
  },
  {
    id: 'agent_farah',
    name: 'Farah Haddad',
    email: 'farah@demo.switchboard',
    timeZone: 'Asia/Dubai',
    skills: [
      { skill: 'sales', level: 3 },
      { skill: 'arabic', level: 5 },
    ],
  },
];

const teams = [
  {
    id: 'team_support',
    name: 'Support',
    leadAgentId: 'agent_ben',
    members: ['agent_ana', 'agent_ben', 'agent_chloe', 'agent_dev'],
  },
  { id: 'team_sales', name: 'Sales', leadAgentId: 'agent_emma', members: ['agent_emma', 'agent_farah'] },
];

/** Seeds the demo workspace into an empty database; does nothing once any workflow exists. */
export function seedDemoWorkspace(db: AppDatabase, workflows: WorkflowStore, now: number): boolean {
  const sqlite = db.$client;
  const hasWorkflows = sqlite.prepare(`SELECT 1 FROM workflows LIMIT 1`).pluck().get();
  if (hasWorkflows) return false;
  sqlite.transaction(() => {
    const insertAgent = sqlite.prepare(
      `INSERT INTO agents (id, name, email, role, status, time_zone, capacity, skills) VALUES (?, ?, ?, ?, 'online', ?, 20, ?)`,
    );
    for (const agent of agents) {
      insertAgent.run(
        agent.id,
        agent.name,
        agent.email,
        agent.role ?? 'agent',
        agent.timeZone,
        JSON.stringify(agent.skills),
      );
    }
    const insertTeam = sqlite.prepare(`INSERT INTO teams (id, name, lead_agent_id) VALUES (?, ?, ?)`);
    const insertMember = sqlite.prepare(`INSERT INTO team_members (team_id, agent_id) VALUES (?, ?)`);
    for (const team of teams) {
      insertTeam.run(team.id, team.name, team.leadAgentId);
      for (const agentId of team.members) insertMember.run(team.id, agentId);
    }
    workflows.create(DEMO_WORKFLOW_ID, 'Default routing', now);
    workflows.publish(
      DEMO_WORKFLOW_ID,
      sampleRoutingGraph('team_support'),
      'Demo: round-robin to Support',
      // Shown as the author in the version list and the editor's "last edited by".
      'Switchboard demo seed',
      now,
    );
    sqlite
      .prepare(
        `INSERT INTO business_numbers (id, display_phone_number, team_id, workflow_id) VALUES (?, '15550001111', 'team_support', ?)`,
      )
      .run(DEMO_BUSINESS_NUMBER_ID, DEMO_WORKFLOW_ID);
  })();
  return true;
}
