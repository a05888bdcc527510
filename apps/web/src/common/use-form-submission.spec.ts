import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { clearIfUnchanged, useFormSubmission } from './use-form-submission';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('useFormSubmission', () => {
  it('is pending while a request is in flight, and refuses a second one meanwhile', async () => {
    const { result } = renderHook(() => useFormSubmission());
    const first = deferred();
    const second = vi.fn(async () => {});

    let sending!: Promise<void>;
    act(() => {
      sending = result.current.send(() => first.promise);
    });
    expect(result.current.pending).toBe(true);

    await act(() => result.current.send(second));
    expect(second).not.toHaveBeenCalled();

    await act(async () => {
      first.resolve();
      await sending;
    });
    expect(result.current.pending).toBe(false);
    expect(result.current.error).toBeNull();
  });

  it("shows a VALIDATION_FAILED error's field errors and a summary", async () => {
    const { result } = renderHook(() => useFormSubmission());
    const invalid = new ApiError({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Validation failed',
      errors: [
        { field: 'email', message: 'Enter a valid email address.' },
        { field: 'password', message: 'Use at least 12 characters.' },
      ],
    });

    await act(() => result.current.send(() => Promise.reject(invalid)));

    expect(result.current.fields).toEqual({
      email: 'Enter a valid email address.',
      password: 'Use at least 12 characters.',
    });
    expect(result.current.error).toBe('Check the highlighted fields.');
  });

  it('stops pending after a failed request, once the failure is shown', async () => {
    const { result } = renderHook(() => useFormSubmission());
    const request = deferred();
    const onFailure = vi.fn();

    let sending!: Promise<void>;
    act(() => {
      sending = result.current.send(() => request.promise, onFailure);
    });
    expect(result.current.pending).toBe(true);

    await act(async () => {
      request.reject(new TypeError('Failed to fetch'));
      await sending;
    });

    expect(result.current.pending).toBe(false);
    expect(result.current.error).toBe('Could not reach Sessionkeep. Check your connection and try again.');
    expect(onFailure).toHaveBeenCalledOnce();
  });

  it('refuses a second request sent in the same tick, before React has re-rendered', async () => {
    const { result } = renderHook(() => useFormSubmission());
    const first = deferred();
    const second = vi.fn(async () => {});

    let sending!: Promise<void>;
    await act(async () => {
      sending = result.current.send(() => first.promise);
      await result.current.send(second);
    });
    expect(second).not.toHaveBeenCalled();

    await act(async () => {
      first.resolve();
      await sending;
    });
  });
});

describe('clearIfUnchanged', () => {
  it('empties a field that still holds what was submitted', () => {
    expect(clearIfUnchanged('new@example.com')('new@example.com')).toBe('');
  });

  it('keeps what the user typed after submitting', () => {
    expect(clearIfUnchanged('new@example.com')('newer@example.com')).toBe('newer@example.com');
  });
});
