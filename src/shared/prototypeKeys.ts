// The names that reach an object's prototype when used as a key or a path segment (`obj[name]`). Refused in
// the JSON users and Grafana send (backend/guardedJson.ts) and in selectors and token fields (query.ts).
// Shared by the editor and the backend, and light enough for the backend's start-up path (no other imports).

export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];
