import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { resetCsrfToken } from '../api/client';

beforeEach(() => resetCsrfToken());
afterEach(() => cleanup());
