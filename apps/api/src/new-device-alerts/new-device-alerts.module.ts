import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { NewDeviceAlertsController } from './new-device-alerts.controller.js';
import { NewDeviceAlerts } from './new-device-alerts.service.js';

@Module({ imports: [SessionsModule], controllers: [NewDeviceAlertsController], providers: [NewDeviceAlerts], exports: [NewDeviceAlerts] })
export class NewDeviceAlertsModule {}
