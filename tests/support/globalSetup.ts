// Placeholder: replaced by the services global setup (issue 3).
export default function setup(): void {}
