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
  // A reload (say, another filter) supersedes the pages still on their way: their answers are dropped.
  let generation = 0;
  async function fetchPage(cursor?: string): Promise<void> {
    const mine = cursor ? generation : ++generation;
    loading.value = true;
    error.value = null;
    try {
      const page = await api.get<Page<T>>(path(), { ...query(), limit, cursor });
      if (mine !== generation) return;
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
    } catch (e) {
      if (mine === generation) error.value = e;
    } finally {
      if (mine === generation) loading.value = false;
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
