/** The bridge puts its token in the page address as `#token=...`, so it never reaches a server log. */
export function accessTokenFromFragment(fragment: string): string | null {
  const token = new URLSearchParams(fragment.replace(/^#/, "")).get("token");
  return token ? token : null;
}

export function rpcSocketUrl(host: string, token: string): string {
  return `ws://${host}/rpc?token=${encodeURIComponent(token)}`;
}
