/** One POST of a JSON body over loopback, bounded in time. */
const REQUEST_TIMEOUT_MS = 60_000;

export interface Reply {
  readonly status: number;
  readonly text: string;
}

export async function postJson(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, text: await response.text() };
}
