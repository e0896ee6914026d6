import sharp from 'sharp';

/** sharp's format names of the pictures image fields take, as MIME types. */
const FORMAT_MIME: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/** The longest side of a thumbnail, in pixels (tables show them at 32–80 px, on HiDPI screens too). */
export const THUMBNAIL_PX = 240;

/**
 * The MIME type an upload is stored with. A file that claims to be a picture is decoded: if it
 * is a PNG, JPEG, GIF or WebP its real type is kept, otherwise it is stored as
 * `application/octet-stream` — so an image field can trust the type (a renamed script is no image).
 */
export async function storedMime(claimed: string, bytes: Buffer): Promise<string> {
  if (!claimed.startsWith('image/')) return claimed;
  try {
    const { format } = await sharp(bytes, { limitInputPixels: 100_000_000 }).metadata();
    return (format && FORMAT_MIME[format]) || 'application/octet-stream';
  } catch {
    return 'application/octet-stream';
  }
}

/** A WebP thumbnail (at most THUMBNAIL_PX on the longest side, never enlarged, EXIF orientation applied). */
export function thumbnail(path: string): Promise<Buffer> {
  return sharp(path, { limitInputPixels: 100_000_000, animated: false })
    .rotate()
    .resize({ width: THUMBNAIL_PX, height: THUMBNAIL_PX, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}
