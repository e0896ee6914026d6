/** Only same-site paths may follow sign-in: `?next=//evil.example` or `https://…` must not leave the product. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
