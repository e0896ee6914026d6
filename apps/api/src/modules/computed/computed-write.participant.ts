import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { TxBatch, WriteBatch, WriteParticipant } from '../records/write-batch';
import { RecordWritePipeline } from '../records/write-pipeline';
import { ComputedService } from './computed.service';

/**
 * Computed fields' part in record writes (docs/computed-fields.md). In `compute` each record's
 * own formulas (subform row formulas first, then record formulas; rollups start empty on create)
 * are computed in memory into the values written, once. In `persist`, inside the write's
 * transaction, rollups of other entities over the written, deleted or restored records are
 * recomputed (one aggregate per rollup field), and what reads them follows.
 */
@Injectable()
export class ComputedWriteParticipant implements WriteParticipant, OnModuleInit {
  readonly name = 'computed';

  constructor(
    private readonly computed: ComputedService,
    private readonly pipeline: RecordWritePipeline,
  ) {}

  onModuleInit(): void {
    this.pipeline.register(this);
  }

  async compute(w: WriteBatch): Promise<void> {
    if (w.kind === 'create')
      await this.computed.fillOnCreate(
        w.c,
        w.records.map((r) => r.values),
      );
    else if (w.kind === 'update') for (const r of w.records) await this.computed.fillOnUpdate(w.c, r.current!, r.values);
  }

  async persist(w: TxBatch): Promise<void> {
    const { tx, ctx, c } = w;
    if (w.kind === 'create')
      await this.computed.afterSourceWrite(
        tx,
        ctx,
        c,
        w.records.map((r) => ({ before: null, after: r.values })),
      );
    else if (w.kind === 'update' && !w.unchanged)
      await this.computed.afterSourceWrite(
        tx,
        ctx,
        c,
        w.records.map((r) => ({ before: r.current!, after: r.after! })),
      );
    else if (w.kind === 'delete' || w.kind === 'restore')
      await this.computed.afterSourceStateChange(
        tx,
        ctx,
        c,
        w.records.map((r) => r.id!),
      );
  }
}
