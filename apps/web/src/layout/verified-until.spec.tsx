import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatClockTime } from '../common/format-time';
import { VerifiedUntil } from './verified-until';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-10T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

const expiresAt = '2026-03-10T12:10:00Z';
const explanation = /You confirmed your password recently, so .* won't ask for it again until/;

describe('VerifiedUntil', () => {
  it('shows the end of the step-up window and hides itself when the window lapses', () => {
    render(<VerifiedUntil expiresAt={expiresAt} />);
    expect(screen.getByText(/Verified until/)).toBeInTheDocument();

    act(() => vi.advanceTimersByTime(10 * 60 * 1000 + 1));

    expect(screen.queryByText(/Verified until/)).not.toBeInTheDocument();
  });

  it('explains itself to assistive technology: the badge is described by what "verified" means', () => {
    render(<VerifiedUntil expiresAt={expiresAt} />);

    const badge = screen.getByText(/Verified until/, { selector: 'summary' });
    expect(badge).toHaveAccessibleDescription(explanation);
    expect(badge).toHaveAccessibleDescription(new RegExp(`until ${formatClockTime(expiresAt)}\\.$`));
  });

  it('shows the explanation when the badge is clicked, and hides it again', async () => {
    // Real timers: user-event waits on them between its steps.
    vi.useRealTimers();
    const user = userEvent.setup();
    render(<VerifiedUntil expiresAt={new Date(Date.now() + 10 * 60 * 1000).toISOString()} />);
    const badge = screen.getByText(/Verified until/, { selector: 'summary' });
    expect(screen.getByText(explanation)).not.toBeVisible();

    await user.click(badge);
    expect(screen.getByText(explanation)).toBeVisible();

    await user.click(badge);
    expect(screen.getByText(explanation)).not.toBeVisible();
  });

  it('shows nothing while no step-up window is open', () => {
    const { container } = render(<VerifiedUntil expiresAt={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
