import { SetMetadata } from '@nestjs/common';

export const NOT_ACTIVITY = 'session:notActivity';

/**
 * The route is not the user's activity: the session guard does not slide the idle timeout for it
 * [L-IDLE]. A live stream held open by a page nobody uses must not keep its session alive [D-LIVE].
 */
export const NotActivity = () => SetMetadata(NOT_ACTIVITY, true);
