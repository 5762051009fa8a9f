import { readFileSync } from 'node:fs';
import { DEFAULT_DNEVNIK_CONFIG_FILE, dnevnikPlatformSchema, loadDnevnikPlatform, markEndpointsOf, markEndpointsSchema, placeholdersOf } from '../../../src/config/platform-config';
import { expandPath, routePattern } from '../../../src/connectors/dnevnik';
import { formatIssues } from '../../../src/config/format-issues';
import { isEjsyncError } from '../../../src/model';

const PERSON = '1000002283077000088';
const WORK = '999000000000000010';

/** The shipped file with some edits, validated as `loadDnevnikPlatform` does. */
function shippedWith(edit: (raw: Record<string, any>) => void) {
  const raw = JSON.parse(readFileSync(DEFAULT_DNEVNIK_CONFIG_FILE, 'utf8')) as Record<string, any>;
  edit(raw);
  return dnevnikPlatformSchema.safeParse(raw);
}

const problems = (result: ReturnType<typeof markEndpointsSchema.safeParse>) => (result.success ? '' : formatIssues(result.error));

describe('mark endpoint templates', () => {
  it('fills placeholders with 64-bit ids as they are, URL-encoding anything else', () => {
    expect(expandPath('/persons/{person}/works/{work}/mark', { person: PERSON, work: WORK })).toBe(`/persons/${PERSON}/works/${WORK}/mark`);
    expect(expandPath('/marks/{mark}', { mark: '1000000000000000001', person: PERSON })).toBe('/marks/1000000000000000001');
    expect(expandPath('/lessons/{lesson}/marks/{mark}', { lesson: 'a/b', mark: 'x y' })).toBe('/lessons/a%2Fb/marks/x%20y');
  });

  it('refuses to leave a placeholder empty (never `/persons//works/…`)', () => {
    let error: unknown;
    try {
      expandPath('/persons/{person}/works/{work}/mark', { person: PERSON });
    } catch (e) {
      error = e;
    }
    expect(isEjsyncError(error) && error.code).toBe('dnevnik.parameter_invalid');
    expect((error as Error).message).toContain('{work}');
    expect(() => expandPath('/marks/{mark}', { mark: '' })).toThrow('{mark}');
  });

  it('turns a template into the emulator’s route and lists its placeholders', () => {
    expect(routePattern('/persons/{person}/works/{work}/mark')).toBe('/persons/:person/works/:work/mark');
    expect(placeholdersOf('/lessons/{lesson}/marks/{mark}')).toEqual(['lesson', 'mark']);
  });
});

describe('markEndpoints in config/platforms/dnevnik.json', () => {
  it('the shipped file names the publicly known endpoint for all three operations', () => {
    const config = loadDnevnikPlatform();
    for (const name of Object.keys(config.installations)) {
      expect(markEndpointsOf(config, name)).toEqual({
        create: { method: 'POST', path: '/persons/{person}/works/{work}/mark' },
        update: { method: 'PUT', path: '/persons/{person}/works/{work}/mark' },
        delete: { method: 'DELETE', path: '/persons/{person}/works/{work}/mark' },
      });
    }
  });

  it('defaults every operation when the section or a part of it is left out', () => {
    const parsed = shippedWith((raw) => delete raw.markEndpoints);
    expect(parsed.success && parsed.data.markEndpoints.delete).toEqual({ method: 'DELETE', path: '/persons/{person}/works/{work}/mark' });
    const partial = markEndpointsSchema.parse({ update: { method: 'PATCH', path: '/marks/{mark}' } });
    expect(partial.update).toEqual({ method: 'PATCH', path: '/marks/{mark}' });
    expect(partial.create.path).toBe('/persons/{person}/works/{work}/mark');
  });

  it('an installation overrides single operations over the global ones', () => {
    const parsed = shippedWith((raw) => {
      raw.installations.mosreg.markEndpoints = { update: { method: 'PUT', path: '/marks/{mark}' }, delete: { method: 'DELETE', path: '/marks/{mark}' } };
    });
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(markEndpointsOf(parsed.data, 'mosreg')).toEqual({
      create: { method: 'POST', path: '/persons/{person}/works/{work}/mark' },
      update: { method: 'PUT', path: '/marks/{mark}' },
      delete: { method: 'DELETE', path: '/marks/{mark}' },
    });
    expect(markEndpointsOf(parsed.data, 'dnevnik').update.path).toBe('/persons/{person}/works/{work}/mark');
  });

  it('create and update may share one upsert endpoint', () => {
    const same = { method: 'POST', path: '/persons/{person}/works/{work}/mark' };
    expect(markEndpointsSchema.safeParse({ create: same, update: same }).success).toBe(true);
  });

  it.each([
    ['an unknown placeholder', { update: { method: 'PUT', path: '/marks/{markId}' } }, 'update.path: неизвестная подстановка {markId}; допустимы {person}, {work}, {mark}, {lesson}'],
    ['a create that needs the mark id', { create: { method: 'POST', path: '/marks/{mark}' } }, 'create.path: в адресе выставления отметки нельзя использовать {mark}'],
    ['a delete that does not name the mark', { delete: { method: 'DELETE', path: '/persons/{person}/marks' } }, 'delete.path: адрес удаления должен указывать отметку: {mark} или {person} вместе с {work}'],
    ['a path without the leading slash', { update: { method: 'PUT', path: 'marks/{mark}' } }, 'update.path: адрес должен начинаться с «/»'],
    ['a query string', { delete: { method: 'DELETE', path: '/marks/{mark}?force=true' } }, 'delete.path: в адресе не должно быть пробелов, «?», «#» и «//»'],
    ['an unclosed brace', { update: { method: 'PUT', path: '/marks/{mark' } }, 'update.path: незакрытая фигурная скобка'],
    ['a method the operation cannot use', { delete: { method: 'POST', path: '/marks/{mark}' } }, 'delete.method: допустимые методы: DELETE'],
    ['no path at all', { update: { method: 'PUT' } }, 'update.path: укажите адрес'],
  ])('rejects %s with a Russian message', (_name, value, message) => {
    expect(problems(markEndpointsSchema.safeParse(value))).toContain(message);
  });

  it('a broken installation override fails the whole file with the field path', () => {
    const parsed = shippedWith((raw) => {
      raw.installations.kundelik.markEndpoints = { delete: { method: 'DELETE', path: '/marks/{id}' } };
    });
    expect(parsed.success ? '' : formatIssues(parsed.error)).toContain('installations.kundelik.markEndpoints.delete.path: неизвестная подстановка {id}');
  });
});
