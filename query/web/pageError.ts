/** A page's answer for something the visitor asked that cannot be done: the status, what to say, and where to go on. */
export interface PageError extends Error {
  statusCode: number;
  problems: string[];
  links: Array<{ href: string; label: string }>;
}

export function pageError(statusCode: number, message: string, problems: string[] = [], links: PageError['links'] = []): PageError {
  return Object.assign(new Error(message), { statusCode, problems, links });
}
