import { existsSync } from 'node:fs';
import { linkConfigSchema, loadLinkFile, type LinkConfig } from '../config/link-config';
import { EjsyncError } from '../model';
import type { Store } from '../store';

/** A link by its file (registered on the way) or by the id of a registered link. */
export async function resolveLink(store: Store, ref: string): Promise<LinkConfig> {
  if (existsSync(ref)) {
    const link = loadLinkFile(ref);
    await store.links.upsert({ id: link.id, name: link.name, schoolId: link.school.sourceId, platform: link.target.platform, config: link });
    return link;
  }
  const record = await store.links.get(ref);
  if (!record) throw new EjsyncError('store.not_found', { detail: `связь «${ref}»: укажите файл связи или идентификатор зарегистрированной связи` });
  return linkConfigSchema.parse(record.config);
}
