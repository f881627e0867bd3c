// The app-wide thumbnail loader, fetching through the contract's `series:thumbnail` call.
import { api } from '../../api/client.js';
import { ThumbnailLoader } from './thumbnail-loader.js';

let shared: ThumbnailLoader | null = null;

export function thumbnails(): ThumbnailLoader {
  shared ??= new ThumbnailLoader((id, axis) => api().call('series:thumbnail', { id, axis }));
  return shared;
}
