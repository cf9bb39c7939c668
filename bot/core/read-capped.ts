/** Reads a fetch response body up to `maxBytes`; past it, cancels the download and throws `tooLarge(n)`. */
export async function readCapped(res: Response, maxBytes: number, tooLarge: (bytesSeen: number) => Error): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(declared);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(total);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
