import type { ObjectTemplateRegistry } from './object-templates.js';

/** Reads every template under `<dataPacks>/objects/objects/*\/definition.json`. Implemented by the object-templates feature. */
export function loadObjectTemplates(_dataPacks: string): ObjectTemplateRegistry {
  return { byUuid: () => undefined, byName: () => undefined, all: () => [] };
}
