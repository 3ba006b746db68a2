import { ref, shallowRef } from 'vue';
import { api } from './client';

/** A page of a list as the gateway answers it (cursor pagination: `?limit=&cursor=`). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * A list read a page at a time: `reload()` starts again, `more()` appends the next page while
 * there is one. Nothing reads a whole list at once.
 */
export function usePaged<T>(path: () => string, query: () => Record<string, string | number | undefined> = () => ({}), limit = 20) {
  const items = shallowRef<T[]>([]);
  const nextCursor = ref<string | undefined>(undefined);
  const loading = ref(false);
  const error = ref<unknown>(null);
  async function fetchPage(cursor?: string): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const page = await api.get<Page<T>>(path(), { ...query(), limit, cursor });
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
    } catch (e) {
      error.value = e;
    } finally {
      loading.value = false;
    }
  }
  return {
    items,
    nextCursor,
    loading,
    error,
    reload: () => fetchPage(undefined),
    more: () => (nextCursor.value ? fetchPage(nextCursor.value) : Promise.resolve()),
  };
}
