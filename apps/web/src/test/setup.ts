import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { resetCsrfToken } from '../api/client';

// findBy* and waitFor wait for the app, not a clock: 1 s is too short on a machine busy with other
// work (a shared CI runner, the API's tests alongside), and a real failure still fails.
configure({ asyncUtilTimeout: 5000 });

beforeEach(() => resetCsrfToken());
afterEach(() => cleanup());
