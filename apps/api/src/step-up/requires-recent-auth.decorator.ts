import { UseGuards } from '@nestjs/common';
import { RecentAuthGuard } from './recent-auth.guard.js';

/** Marks a critical route: it answers 403 REAUTH_REQUIRED unless the password was proven recently. */
export const RequiresRecentAuth = () => UseGuards(RecentAuthGuard);
