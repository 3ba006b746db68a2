import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { translate } from '../i18n';
import { newIdempotencyKey } from './client';
import { ApiError } from './problem';

/**
 * One user action (a button press): its busy flag and its refusal, shown by ErrorAlert. The
 * Idempotency-Key is made once per action attempt and kept until it succeeds, so pressing the
 * button again after a network failure repeats the same request instead of making a second one.
 */
export function useAction<A extends unknown[], R>(work: (idempotencyKey: string, ...args: A) => Promise<R>, options: { successKey?: string } = {}) {
  const busy = ref(false);
  const error = ref<unknown>(null);
  // One kept key per target: a row's button retried repeats that row's request, another row's is a new one.
  const pendingKeys = new Map<string, string>();
  async function run(...args: A): Promise<R | undefined> {
    busy.value = true;
    error.value = null;
    const target = JSON.stringify(args);
    const key = pendingKeys.get(target) ?? newIdempotencyKey();
    pendingKeys.set(target, key);
    try {
      const result = await work(key, ...args);
      pendingKeys.delete(target);
      // Translated when shown, so the toast speaks the language chosen since the page opened.
      ElMessage.success(translate(options.successKey ?? 'common.success'));
      return result;
    } catch (e) {
      error.value = e;
      // A refusal by the ledger (4xx) is final: the next press is a new request. No answer or a 5xx: the same one again.
      if (!(e instanceof ApiError && (e.status === 0 || e.status >= 500))) pendingKeys.delete(target);
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { run, busy, error };
}

/** A read: its result, loading flag and error. */
export function useLoad<A extends unknown[], R>(load: (...args: A) => Promise<R>) {
  const data = ref<R | null>(null) as { value: R | null };
  const loading = ref(false);
  const error = ref<unknown>(null);
  async function run(...args: A): Promise<R | undefined> {
    loading.value = true;
    error.value = null;
    try {
      data.value = await load(...args);
      return data.value;
    } catch (e) {
      error.value = e;
      return undefined;
    } finally {
      loading.value = false;
    }
  }
  return { run, data, loading, error };
}
