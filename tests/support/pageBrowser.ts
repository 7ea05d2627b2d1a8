// A browser as far as the server-rendered pages care, for tests through
// app.inject: a cookie jar, forms posted url-encoded, no script; and readers
// of the pages' forms.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
export const setCookies = (res: LightMyRequestResponse): string[] => {
  const h = res.headers['set-cookie'];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
};
export const setCookie = (res: LightMyRequestResponse, name: string) => setCookies(res).find((c) => c.startsWith(`${name}=`));
export const csrfOf = (html: string) => {
  const token = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html)?.[1];
  if (!token) throw new Error('no _csrf field in the page');
  return unescape(token);
};
/** The hidden fields of the page's form that posts to `action`. */
export const formFields = (html: string, action: string): Array<[string, string]> => {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescape(m[2]!)]);
};
export const actionsOf = (html: string, pattern: RegExp) => [...html.matchAll(new RegExp(`action="(${pattern.source})"`, 'g'))].map((m) => unescape(m[1]!));

/** A browser as far as these pages care: a cookie jar, forms posted url-encoded, no script. */
export class PageBrowser {
  readonly jar = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of setCookies(res)) {
      const [pair = '', ...attributes] = c.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      const expires = attributes.find((a) => /^expires=/i.test(a));
      const gone = attributes.some((a) => /^max-age=0$/i.test(a)) || (expires !== undefined && Date.parse(expires.slice(8)) <= Date.now());
      if (gone) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  private headers(): Record<string, string> {
    return this.jar.size > 0 ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  async get(url: string) {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: this.headers() }));
  }

  async post(url: string, fields: Array<[string, string]> | Record<string, string>) {
    const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields)).toString();
    return this.keep(await this.app.inject({ method: 'POST', url, payload: body, headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' } }));
  }

  /** Posts the form of `page` that goes to `action` (its hidden fields, its CSRF token) with `extra` fields. */
  async submit(page: string, action: string, extra: Record<string, string> = {}) {
    return this.post(action, [...formFields(page, action), ...Object.entries(extra)]);
  }
}

/** The attributes of an HTML start tag, unescaped. */
export const attributes = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)].slice(1).map((m) => [m[1]!, unescape(m[2] ?? '')]));

/** What a browser sends for the form of `html` that posts to `action`: every field with its shown value (the submit button aside). */
export const formValues = (html: string, action: string): Record<string, string> => {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input [^>]*>/g)) {
    const a = attributes(tag);
    if (!a.name || (a.type === 'checkbox' && !('checked' in a))) continue;
    values[a.name] = a.value ?? '';
  }
  for (const m of form.matchAll(/<textarea ([^>]*)>([\s\S]*?)<\/textarea>/g)) values[attributes(`<t ${m[1]}`).name!] = unescape(m[2]!);
  for (const m of form.matchAll(/<select ([^>]*)>([\s\S]*?)<\/select>/g)) {
    const options = [...m[2]!.matchAll(/<option value="([^"]*)"( selected)?>/g)];
    values[attributes(`<s ${m[1]}`).name!] = unescape((options.find((o) => o[2]) ?? options[0])?.[1] ?? '');
  }
  return values;
};
