import type { NodeTypeKey } from '@crm/workflow';
import { actionUi } from './action';
import { approvalUi } from './approval';
import { branchUi } from './branch';
import { ccUi } from './cc';
import { endUi } from './end';
import { fillUi } from './fill';
import { joinUi } from './join';
import type { NodeTypeUi } from './node-type-ui';
import { parallelUi } from './parallel';
import { startUi } from './start';
import { subprocessUi } from './subprocess';
import { waitUi } from './wait';

/** The browser side of every node type (definition.designer.panel names the key); a missing one is a compile error. */
export const NODE_TYPE_UI = {
  start: startUi,
  approval: approvalUi,
  fill: fillUi,
  cc: ccUi,
  branch: branchUi,
  parallel: parallelUi,
  join: joinUi,
  action: actionUi,
  wait: waitUi,
  subprocess: subprocessUi,
  end: endUi,
} satisfies Record<NodeTypeKey, NodeTypeUi>;
