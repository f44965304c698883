// An oidc-provider storage adapter over one Map per provider instance.
// oidc-provider's own MemoryAdapter keeps a single module-wide store,
// which two providers in one test process would share; and a store that
// outlives one Provider object lets rotate-keys build a new Provider (new
// signing keys) without losing sessions, codes, grants or the client.

// Returns the adapter class to pass as the `adapter` configuration; every
// instance it makes (one per model: Session, AuthorizationCode, Client, …)
// shares `entries`.
export function createMemoryAdapter() {
  const entries = new Map(); // key -> {payload, expiresAt (ms) | undefined}

  const live = (key) => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  const put = (key, payload, expiresInSeconds) => {
    const expiresAt = expiresInSeconds ? Date.now() + expiresInSeconds * 1000 : undefined;
    entries.set(key, {payload, expiresAt});
  };
  const grantKey = (grantId) => `grant:${grantId}`;

  return class MemoryStoreAdapter {
    constructor(model) {
      this.model = model;
    }

    key(id) {
      return `${this.model}:${id}`;
    }

    async upsert(id, payload, expiresIn) {
      const key = this.key(id);
      if (this.model === 'Session') put(`sessionUid:${payload.uid}`, id, expiresIn);
      if (payload.userCode) put(`userCode:${payload.userCode}`, id, expiresIn);
      if (payload.grantId && this.model !== 'Grant' && this.model !== 'Session') {
        const tokens = live(grantKey(payload.grantId)) || [];
        tokens.push(key);
        put(grantKey(payload.grantId), tokens);
      }
      put(key, payload, expiresIn);
    }

    async find(id) {
      return live(this.key(id));
    }

    async findByUid(uid) {
      const id = live(`sessionUid:${uid}`);
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode(userCode) {
      const id = live(`userCode:${userCode}`);
      return id === undefined ? undefined : this.find(id);
    }

    async consume(id) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id) {
      entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId) {
      for (const key of live(grantKey(grantId)) || []) entries.delete(key);
      entries.delete(grantKey(grantId));
    }
  };
}
