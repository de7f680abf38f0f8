import schema from './messages.schema.json';

/**
 * JSON Schema (draft-07) of every server message, for backends in any
 * language to validate what they emit. Also shipped as `flowpulse/schema.json`.
 *
 * @example
 * import Ajv from 'ajv';
 * // Ids may be strings or integers: without allowUnionTypes, Ajv's strict mode warns about each such field.
 * const valid = new Ajv({ allowUnionTypes: true }).compile(messagesSchema)(message);
 */
export const messagesSchema: Readonly<Record<string, unknown>> = schema;
