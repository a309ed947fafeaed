import { caughtUpScenario } from './caughtUpScenario';
import { intakeScenario } from './intakeScenario';
import { resumedScenario } from './resumedScenario';
import { safePointScenario } from './safePointScenario';
import type { Scenario } from './scenarioScript';
import { scheduleScenario } from './scheduleScenario';
import { slaScenario } from './slaScenario';
import { stoppedScenario } from './stoppedScenario';
import { timersScenario } from './timersScenario';
import { triggersScenario } from './triggersScenario';

/**
 * The router shard histories the determinism guard keeps, one per scenario. Together they make
 * every node type of the catalog act (the recorder refuses to write them otherwise): adding a node
 * type means adding it to a scenario here and recording again.
 */
export const scenarios: readonly Scenario[] = [
  intakeScenario,
  timersScenario,
  triggersScenario,
  resumedScenario,
  scheduleScenario,
  slaScenario,
  safePointScenario,
  caughtUpScenario,
  stoppedScenario,
];

export type { Scenario } from './scenarioScript';
