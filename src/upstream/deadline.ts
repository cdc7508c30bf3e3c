/**
 * When each request stops waiting (REQUEST_DEADLINE_MS): one instant per
 * HTTP request, fixed by the first thing that waits on a dependency for it
 * (an APQ look-up in Redis, or the operation's context and its API calls), so
 * every later wait (Redis or the API) spends the same budget.
 */
export class RequestDeadlines {
  private readonly byRequest = new WeakMap<object, number>();

  constructor(readonly budgetMs: number) {}

  /** The request's deadline, as a `performance.now()` instant. */
  of(request: object): number {
    let deadline = this.byRequest.get(request);
    if (deadline === undefined) {
      deadline = performance.now() + this.budgetMs;
      this.byRequest.set(request, deadline);
    }
    return deadline;
  }
}
