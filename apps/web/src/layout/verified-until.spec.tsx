import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VerifiedUntil } from './verified-until';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('VerifiedUntil', () => {
  it('shows the end of the step-up window and hides itself when the window lapses', () => {
    render(<VerifiedUntil expiresAt="2026-03-10T12:10:00Z" />);
    expect(screen.getByText(/Verified until/)).toBeInTheDocument();

    act(() => vi.advanceTimersByTime(10 * 60 * 1000 + 1));

    expect(screen.queryByText(/Verified until/)).not.toBeInTheDocument();
  });

  it('shows nothing while no step-up window is open', () => {
    const { container } = render(<VerifiedUntil expiresAt={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
