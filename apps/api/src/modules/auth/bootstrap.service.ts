import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config';
import { newId, nowStorage } from '../../common/ids';
import { Db } from '../../database/db';
import { AuthRepository } from './auth.repository';
import { hashPassword, randomPassword } from './password';

/** On the first start: one workspace and its admin (password from env, or printed once). */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly db: Db,
    private readonly repo: AuthRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.db.withLock('bootstrap', async () => {
      if (await this.repo.anyWorkspace()) return;
      const password = this.config.admin.password ?? randomPassword();
      const hash = await hashPassword(password);
      const now = nowStorage();
      const workspaceId = newId();
      await this.repo.createWorkspaceWithAdmin({
        workspaceId,
        workspaceName: 'My workspace',
        userId: newId(),
        email: this.config.admin.email,
        name: this.config.admin.name,
        passwordHash: hash,
        now,
      });
      if (this.config.admin.password) {
        this.logger.log(`Created the workspace and its admin ${this.config.admin.email} (password from ADMIN_PASSWORD)`);
      } else {
        // Printed once, on the first start only; it is stored hashed.
        process.stdout.write(
          `\n  First start: sign in as ${this.config.admin.email} with password ${password}\n  (shown once; set ADMIN_PASSWORD to choose it)\n\n`,
        );
      }
    });
  }
}
