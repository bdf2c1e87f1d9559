/** Messages between the canvas and its layout worker (layout.worker.ts). */
export type LayoutDirection = 'LR' | 'TB';

export interface LayoutRequest {
  id: number;
  direction: LayoutDirection;
  nodes: { id: string; width: number; height: number }[];
  edges: { source: string; target: string }[];
}

export interface LayoutResponse {
  id: number;
  positions: Record<string, { x: number; y: number }>;
  ms: number;
  error?: string;
}
