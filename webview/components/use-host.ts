import { useEffect, useRef } from 'react';
import type { PanelProtocol } from '../../src/shared/protocol';
import { hostClient, type HostChecks, type HostClient, type HostNotification } from './host-client';

export interface UseHostHandlers<P extends PanelProtocol> {
  onNotification?: (n: HostNotification<P>) => void;
  onInvalid?: (error: string) => void;
}

/**
 * The typed host connection for a React view: subscribes the handlers (always the latest
 * ones, through a ref) and says `webview/ready` once they listen, so nothing the host
 * queued is missed.
 */
export function useHost<P extends PanelProtocol>(checks: HostChecks<P>, handlers: UseHostHandlers<P>): HostClient<P> {
  const client = hostClient(checks);
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const offN = client.onNotification((n) => ref.current.onNotification?.(n));
    const offI = client.onInvalid((e) => ref.current.onInvalid?.(e));
    client.start();
    return () => {
      offN();
      offI();
    };
  }, [client]);
  return client;
}
