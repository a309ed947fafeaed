import { validateGraph } from '@switchboard/nodes';
import type { ValidationRequest, ValidationResult } from './offThreadValidation';

/** Runs in a Web Worker: validates large graphs off the page's main thread (see offThreadValidation). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ValidationRequest>) => void) | null;
  postMessage(message: ValidationResult): void;
};

scope.onmessage = (event) => {
  const { id, graph } = event.data;
  scope.postMessage({ id, validation: validateGraph(graph) });
};
