// The gateway's API, called with the key the user gave this tab. The key lives in sessionStorage (gone when the tab
// closes) and arrives either through the key form or once through the URL fragment (#key=...), which browsers never
// send to the server, so it lands in no access log; the page removes it from the address bar at once.

const KEY = 'exit.apiKey';

/** Reads #key=...&experiment=... ; stores the key and strips it from the address bar; returns the other params. */
export function takeFragment() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const key = params.get('key');
  if (key) {
    setApiKey(key);
    params.delete('key');
    const rest = params.toString();
    history.replaceState(null, '', window.location.pathname + (rest ? '#' + rest : ''));
  }
  return params;
}

export function apiKey() {
  return sessionStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
  if (key) {
    sessionStorage.setItem(KEY, key);
  } else {
    sessionStorage.removeItem(KEY);
  }
}

export class ApiError extends Error {
  constructor(status, path, detail) {
    super(`${path}: ${status} ${detail}`);
    this.status = status;
  }
}

/** GET a JSON document from the gateway; problem+json answers become an ApiError with their detail. */
export async function getJson(path) {
  const headers = { Accept: 'application/json' };
  const key = apiKey();
  if (key) {
    headers.Authorization = 'Bearer ' + key;
  }
  const response = await fetch(path, { headers, cache: 'no-store' });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch (notJson) {
      // keep the status text
    }
    throw new ApiError(response.status, path, detail);
  }
  return response.json();
}
