import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlTypes } from './sql-types';

/**
 * Approval workflows (docs/workflows.md): definitions and their versions (draft, published,
 * retired), instances pinned to the version they started on (the engine state as one JSON value
 * guarded by `rev`), tasks (the inbox), node runs (one row per asynchronous effect, claimed by a
 * compare-and-set so a job delivered twice acts once), the timeline, comments, cc lines, and the
 * in-app notifications of every feature.
 */
export class Workflows1763900000300 implements MigrationInterface {
  name = 'Workflows1763900000300';

  async up(qr: QueryRunner): Promise<void> {
    const { ts, id, str, text, bigAuto, tail } = sqlTypes(qr);
    // Engine ids are `<instance uuid>:<prefix><n>` (docs: packages/workflow README).
    const eid = str(100);
    const stmts = [
      `CREATE TABLE workflows (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, entity_id ${id} NOT NULL, name ${str(100)} NOT NULL,
        description ${str(1000)} NOT NULL, start_on ${str(16)} NOT NULL, published_version INTEGER NULL, draft_version INTEGER NULL,
        created_at ${ts} NOT NULL, created_by ${id} NULL, updated_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_workflows_entity ON workflows (workspace_id, entity_id)`,
      `CREATE TABLE workflow_versions (workflow_id ${id} NOT NULL, version INTEGER NOT NULL, workspace_id ${id} NOT NULL, status ${str(16)} NOT NULL,
        graph ${text} NOT NULL, issues ${text} NOT NULL, created_at ${ts} NOT NULL, created_by ${id} NULL, updated_at ${ts} NOT NULL, updated_by ${id} NULL,
        published_at ${ts} NULL, published_by ${id} NULL, retired_at ${ts} NULL, PRIMARY KEY (workflow_id, version))${tail}`,
      `CREATE TABLE workflow_instances (id ${id} NOT NULL PRIMARY KEY, workspace_id ${id} NOT NULL, workflow_id ${id} NOT NULL, version INTEGER NOT NULL,
        entity_id ${id} NOT NULL, record_id BIGINT NOT NULL, submitter_id ${id} NOT NULL, status ${str(16)} NOT NULL, state ${text} NOT NULL,
        rev INTEGER NOT NULL, started_at ${ts} NOT NULL, updated_at ${ts} NOT NULL, ended_at ${ts} NULL, error ${str(1000)} NULL)${tail}`,
      `CREATE INDEX ix_wf_instances_submitter ON workflow_instances (workspace_id, submitter_id, started_at)`,
      `CREATE INDEX ix_wf_instances_record ON workflow_instances (entity_id, record_id)`,
      `CREATE INDEX ix_wf_instances_version ON workflow_instances (workflow_id, version, status)`,
      `CREATE TABLE workflow_tasks (id ${eid} NOT NULL PRIMARY KEY, instance_id ${id} NOT NULL, workspace_id ${id} NOT NULL, workflow_id ${id} NOT NULL,
        entity_id ${id} NOT NULL, record_id BIGINT NOT NULL, node_id ${str(64)} NOT NULL, kind ${str(16)} NOT NULL, assignee_id ${id} NOT NULL,
        submitter_id ${id} NOT NULL, status ${str(16)} NOT NULL, created_at ${ts} NOT NULL, decided_at ${ts} NULL, decided_by ${id} NULL)${tail}`,
      `CREATE INDEX ix_wf_tasks_inbox ON workflow_tasks (workspace_id, assignee_id, status, created_at)`,
      `CREATE INDEX ix_wf_tasks_instance ON workflow_tasks (instance_id)`,
      `CREATE TABLE workflow_node_runs (effect_key ${eid} NOT NULL PRIMARY KEY, instance_id ${id} NOT NULL, workspace_id ${id} NOT NULL,
        type ${str(32)} NOT NULL, node_id ${str(64)} NULL, status ${str(16)} NOT NULL, result ${text} NULL, created_at ${ts} NOT NULL, finished_at ${ts} NULL)${tail}`,
      `CREATE INDEX ix_wf_node_runs_instance ON workflow_node_runs (instance_id)`,
      `CREATE TABLE workflow_timeline (id ${bigAuto}, instance_id ${id} NOT NULL, workspace_id ${id} NOT NULL, at ${ts} NOT NULL, kind ${str(32)} NOT NULL,
        node_id ${str(64)} NULL, task_id ${eid} NULL, actor_id ${id} NULL, comment ${str(2000)} NULL, detail ${text} NULL)${tail}`,
      `CREATE INDEX ix_wf_timeline_instance ON workflow_timeline (instance_id, id)`,
      `CREATE TABLE workflow_comments (id ${id} NOT NULL PRIMARY KEY, instance_id ${id} NOT NULL, workspace_id ${id} NOT NULL, task_id ${eid} NULL,
        author_id ${id} NOT NULL, body ${str(4000)} NOT NULL, signature ${text} NULL, created_at ${ts} NOT NULL)${tail}`,
      `CREATE INDEX ix_wf_comments_instance ON workflow_comments (instance_id, created_at)`,
      `CREATE TABLE workflow_cc (instance_id ${id} NOT NULL, member_id ${id} NOT NULL, node_id ${str(64)} NOT NULL, workspace_id ${id} NOT NULL,
        created_at ${ts} NOT NULL, PRIMARY KEY (instance_id, member_id, node_id))${tail}`,
      `CREATE INDEX ix_wf_cc_member ON workflow_cc (workspace_id, member_id, created_at)`,
      `CREATE TABLE notifications (id ${bigAuto}, workspace_id ${id} NOT NULL, member_id ${id} NOT NULL, kind ${str(32)} NOT NULL,
        dedupe_key ${str(160)} NOT NULL, source_type ${str(32)} NOT NULL, source_id ${str(100)} NULL, data ${text} NOT NULL,
        created_at ${ts} NOT NULL, read_at ${ts} NULL)${tail}`,
      `CREATE UNIQUE INDEX ux_notifications_dedupe ON notifications (dedupe_key)`,
      `CREATE INDEX ix_notifications_member ON notifications (workspace_id, member_id, read_at, id)`,
    ];
    for (const sql of stmts) await qr.query(sql);
  }

  async down(_qr: QueryRunner): Promise<void> {
    throw new Error(`Migration ${this.name} cannot be reverted: restore a backup instead`);
  }
}
