import type { Plugin } from 'graphql-yoga';

/**
 * Names the replica that answered in an `x-served-by` response header, so a
 * client or an operator behind a load balancer can tell replicas apart.
 * Opt-in (`INSTANCE_ID`): a name like a pod's is harmless to show, but only
 * the operator knows whether it is.
 */
export function useServedByHeader(instanceId: string): Plugin {
  return {
    onResponse({ response }) {
      response.headers.set('x-served-by', instanceId);
    },
  };
}
