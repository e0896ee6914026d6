import { Injectable } from '@nestjs/common';
import { Db } from '../../database/db';

/** The database check of the health route. */
@Injectable()
export class HealthRepository {
  constructor(private readonly db: Db) {}

  async ping(): Promise<void> {
    await this.db.query('SELECT 1 AS ok');
  }
}
