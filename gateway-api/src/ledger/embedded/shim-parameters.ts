/**
 * fabric-shim's DataMarshall.handleParameters turns a transaction's argument bytes
 * into the values the contract function receives and validates them against the
 * contract metadata with ajv. On every call, for every parameter, it formats debug
 * lines eagerly (util.inspect, several JSON.stringify of the schema), and looks the
 * validator up in ajv's cache by a stable stringification of the whole schema: in
 * process, that was a tenth of a query's cost.
 *
 * This replaces it, for the embedded ledger only, with the same steps in the same
 * order: the same serializer conversion, the same ajv instance and schema, the same
 * errors with the same messages. The compiled validator is kept per parameter
 * descriptor (contract metadata never changes after start), and the debug lines,
 * muted anyway (shim-logging), are not built. Unusual paths (no metadata, a wrong
 * number of arguments, a parameter without type information) go to the original.
 */
import './shim-logging';

interface ParameterDescriptor {
  readonly schema: { readonly type?: unknown; readonly $ref?: unknown };
}
interface FunctionDescriptor {
  readonly parameters?: readonly ParameterDescriptor[];
}
interface AjvValidator {
  (data: unknown): boolean;
  errors?: Array<{ message?: string }> | null;
}
interface DataMarshallLike {
  readonly ajv: { compile(schema: unknown): AjvValidator };
  readonly components: unknown;
  fromWireBuffer(data: Buffer, schema: unknown, loggerPrefix: string): { value: unknown; validateData: unknown };
}
type HandleParameters = (this: DataMarshallLike, fn: FunctionDescriptor, parameters: Buffer[], loggerPrefix: string) => unknown[];

const DataMarshall = require('fabric-shim/lib/contract-spi/datamarshall') as { prototype: { handleParameters: HandleParameters } };

/** fabric-shim's own implementation, kept for the unusual paths and for the equivalence test. */
export const shimHandleParameters: HandleParameters = DataMarshall.prototype.handleParameters;

interface Compiled {
  readonly schema: unknown;
  readonly validate: AjvValidator;
}
const compiled = new WeakMap<DataMarshallLike, WeakMap<ParameterDescriptor, Compiled>>();

function validatorFor(marshall: DataMarshallLike, expected: ParameterDescriptor): Compiled {
  let byParameter = compiled.get(marshall);
  if (!byParameter) {
    byParameter = new WeakMap();
    compiled.set(marshall, byParameter);
  }
  let entry = byParameter.get(expected);
  if (!entry) {
    // The schema object fabric-shim builds for each parameter.
    const schema = { properties: { prop: expected.schema }, components: { schemas: marshall.components } };
    entry = { schema, validate: marshall.ajv.compile(schema) };
    byParameter.set(expected, entry);
  }
  return entry;
}

export const cachedHandleParameters: HandleParameters = function (fn, parameters, loggerPrefix) {
  const expectedParams = fn.parameters;
  if (!expectedParams || expectedParams.length !== parameters.length || expectedParams.some((p) => !p.schema.type && !p.schema.$ref)) {
    return shimHandleParameters.call(this, fn, parameters, loggerPrefix);
  }
  const values: unknown[] = [];
  for (let i = 0; i < expectedParams.length; i++) {
    const { schema, validate } = validatorFor(this, expectedParams[i] as ParameterDescriptor);
    const { value, validateData } = this.fromWireBuffer(parameters[i] as Buffer, schema, loggerPrefix);
    if (!validate({ prop: validateData })) {
      const errors = JSON.stringify((validate.errors ?? []).map((err) => err.message));
      throw new Error(`Unable to validate parameter due to ${errors}`);
    }
    values.push(value);
  }
  return values;
};

/** Installs the cached version; done once, before the first transaction. */
export function cacheParameterValidators(): void {
  DataMarshall.prototype.handleParameters = cachedHandleParameters;
}
