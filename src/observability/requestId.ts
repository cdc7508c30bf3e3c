import { randomUUID } from 'node:crypto';

const ACCEPTABLE = /^[\w.:-]{1,128}$/;
const ids = new WeakMap<Request, string>();

/** The request's id: the caller's `x-request-id` when it is a sane token, else a fresh one. */
export function requestIdFor(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    const given = request.headers.get('x-request-id');
    id = given && ACCEPTABLE.test(given) ? given : randomUUID();
    ids.set(request, id);
  }
  return id;
}
