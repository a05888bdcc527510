import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { useFormSubmission } from './use-form-submission';

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
  it('ignores a second submit while the first is still in flight', async () => {
    const { result } = renderHook(() => useFormSubmission());
    const first = deferred();
    const second = vi.fn(async () => {});

    let sending!: Promise<void>;
    act(() => {
      sending = result.current.send(() => first.promise);
    });
    expect(result.current.busy).toBe(true);

    await act(() => result.current.send(second));
    expect(second).not.toHaveBeenCalled();

    await act(async () => {
      first.resolve();
      await sending;
    });
    expect(result.current.busy).toBe(false);
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

  it('clears busy after a failed request, once the failure is shown', async () => {
    const { result } = renderHook(() => useFormSubmission());
    const request = deferred();
    const onFailure = vi.fn();

    let sending!: Promise<void>;
    act(() => {
      sending = result.current.send(() => request.promise, onFailure);
    });
    expect(result.current.busy).toBe(true);

    await act(async () => {
      request.reject(new TypeError('Failed to fetch'));
      await sending;
    });

    expect(result.current.busy).toBe(false);
    expect(result.current.error).toBe('Could not reach Sessionkeep. Check your connection and try again.');
    expect(onFailure).toHaveBeenCalledOnce();
  });
});
