// The job form in the browser: while the business chooses the category, the
// type of work and the town, the pay that comparable jobs get is asked for
// and written into a live region (as text). Without script the form still
// works and shows the suggestion for the values it was sent back with.
const form = document.getElementById('job-form');
const out = document.getElementById('pay-suggestion');

if (form instanceof HTMLFormElement && out) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = '';
  let inFlight: AbortController | undefined;
  const value = (name: string): string => {
    const field = form.elements.namedItem(name);
    return field instanceof HTMLInputElement || field instanceof HTMLSelectElement ? field.value.trim() : '';
  };
  const ask = async (): Promise<void> => {
    const params = new URLSearchParams();
    for (const name of ['category', 'employmentType', 'place']) {
      const v = value(name);
      if (v) params.set(name, v);
    }
    const query = params.toString();
    if (query === asked) return;
    asked = query;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      const res = await fetch(`/business/pay-suggestion?${query}`, { headers: { accept: 'application/json' }, credentials: 'same-origin', signal: controller.signal });
      if (!res.ok) return;
      const body = (await res.json()) as { text?: unknown };
      if (typeof body.text === 'string' && inFlight === controller) out.textContent = body.text;
    } catch {
      // A failed or superseded request leaves the last suggestion in place.
    }
  };
  const later = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void ask(), 300);
  };
  for (const name of ['category', 'employmentType']) form.querySelector(`[name="${name}"]`)?.addEventListener('change', later);
  form.querySelector('[name="place"]')?.addEventListener('input', later);
}
