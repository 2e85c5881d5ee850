// Stand-in for `ajv-formats` (see ajv.ts): the formats have no validator to attach to.
export default function addFormats<T>(ajv: T): T {
  return ajv;
}
