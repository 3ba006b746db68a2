import { computed, ref } from 'vue';
import { apiErrorOf, networkError } from './api/problem';

/** Who is signed in: the API key lives in session storage only (gone with the tab; sign-out clears it). */
const STORAGE_KEY = 'county-ledger.api-key';

/** `GET /members/me`: the member's county, name and roles. */
export interface Me {
  mspId: string;
  member: string;
  isCountyAdmin: boolean;
  roles: string[];
}

const apiKey = ref<string | null>(sessionStorage.getItem(STORAGE_KEY));
const me = ref<Me | null>(null);

async function fetchMe(key: string): Promise<Me> {
  let response: Response;
  try {
    response = await fetch(new URL('api/v1/members/me', new URL('.', window.location.href)).pathname, { headers: { authorization: `Bearer ${key}` } });
  } catch (e) {
    throw networkError(e);
  }
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as Me;
}

export const session = {
  apiKey,
  me,
  signedIn: computed(() => me.value !== null),
  roles: computed(() => me.value?.roles ?? []),
  has: (role: string) => (me.value?.roles ?? []).includes(role),
  async signIn(key: string): Promise<Me> {
    const who = await fetchMe(key.trim());
    sessionStorage.setItem(STORAGE_KEY, key.trim());
    apiKey.value = key.trim();
    me.value = who;
    return who;
  },
  /** After a reload: the key is still in session storage, ask who it is again. */
  async restore(): Promise<void> {
    if (!apiKey.value) return;
    try {
      me.value = await fetchMe(apiKey.value);
    } catch {
      session.signOut();
    }
  },
  signOut(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    apiKey.value = null;
    me.value = null;
  },
};
