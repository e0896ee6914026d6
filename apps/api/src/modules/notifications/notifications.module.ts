import { Module } from '@nestjs/common';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/** In-app notifications of every feature (workflows first): stored, listed, marked read, counted by one query. */
@Module({ providers: [NotificationsRepository, NotificationsService], exports: [NotificationsService] })
export class NotificationsModule {}
