import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/**
 * A response validator built from the OpenAPI document the service serves, as a validating
 * proxy (Prism) would check traffic: every answer must have a status the document declares for
 * its operation, and a JSON body of the declared shape. `tests/support/api.ts` runs every
 * integration test's traffic through it, so no undeclared status or shape can come back.
 */
type Json = Record<string, any>;

interface Operation {
  readonly template: string;
  readonly regex: RegExp;
  readonly params: number;
  readonly literal: number;
  readonly responses: Record<string, Json>;
}

export interface Checked {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

export class ContractValidator {
  private readonly ajv: InstanceType<typeof Ajv2020>;
  private readonly ops = new Map<string, Operation[]>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Json) {
    // strict off: OpenAPI keywords (x-roles, components beside the schema) are not JSON Schema.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const params = (template.match(/\{/g) ?? []).length;
      const regex = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(item)) {
        const list = this.ops.get(method.toUpperCase()) ?? [];
        list.push({ template, regex, params, literal: template.replace(/\{[^}]+\}/g, '').length, responses: op.responses ?? {} });
        this.ops.set(method.toUpperCase(), list);
      }
    }
    // API Gateway's rule: literal paths before parameterised ones.
    for (const list of this.ops.values()) list.sort((a, b) => a.params - b.params || b.literal - a.literal);
  }

  private schemaFor(key: string, schema: Json): ValidateFunction {
    let v = this.compiled.get(key);
    if (!v) {
      // The document's refs are `#/components/schemas/X`: carry the components beside the schema.
      v = this.ajv.compile({ ...schema, components: this.doc.components });
      this.compiled.set(key, v);
    }
    return v;
  }

  /** The problems with one response, or an empty list. */
  check(r: Checked): string[] {
    const pathname = new URL(r.path, 'http://x').pathname;
    const op = (this.ops.get(r.method.toUpperCase()) ?? []).find((o) => o.regex.test(pathname));
    // The identity provider's key set is the local stand-in for Cognito's, not part of the API.
    if (pathname.startsWith('/.well-known/')) return [];
    if (!op) {
      // Not an operation of the document: only the error envelope may come back.
      if (r.status !== 404 && r.status !== 400 && r.status !== 401) return [`${r.method} ${pathname}: ${r.status} for a path the document does not have`];
      return this.validate(`unknown ${r.status}`, { $ref: '#/components/schemas/Error' }, r);
    }
    const declared = op.responses[String(r.status)];
    if (!declared) return [`${r.method} ${op.template}: status ${r.status} is not declared (declared: ${Object.keys(op.responses).join(', ')}); body ${JSON.stringify(r.body).slice(0, 300)}`];
    const content = declared.content as Record<string, Json> | undefined;
    if (!content) return r.body === '' || r.body === undefined ? [] : [`${r.method} ${op.template} ${r.status}: a body the document does not declare`];
    const type = (r.contentType ?? '').split(';')[0]!.trim();
    const media = content[type];
    if (!media) return [`${r.method} ${op.template} ${r.status}: content type ${type || '(none)'} not declared (${Object.keys(content).join(', ')})`];
    if (type !== 'application/json') return [];
    return this.validate(`${r.method} ${op.template} ${r.status}`, media.schema, r);
  }

  private validate(key: string, schema: Json, r: Checked): string[] {
    const v = this.schemaFor(key, schema);
    if (v(r.body)) return [];
    return [`${key}: body does not match the document: ${this.ajv.errorsText(v.errors, { separator: '; ' })}; body ${JSON.stringify(r.body).slice(0, 300)}`];
  }
}
