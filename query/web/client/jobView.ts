// The job page counts one view when a browser shows it to a person: the
// page's script asks the API to record it (anonymous, deduplicated per
// viewer and day by the API). Crawlers seldom run scripts, so they are
// seldom counted, which is what a business reading its funnel wants.
const script = document.currentScript;
const jobId = script instanceof HTMLScriptElement ? script.dataset.jobId : undefined;
if (jobId) {
  fetch(`/v1/jobs/${encodeURIComponent(jobId)}/views`, { method: 'POST', credentials: 'omit', keepalive: true }).catch(() => {
    // A view not counted is no reason to trouble the reader.
  });
}
