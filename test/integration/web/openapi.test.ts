import { OPENAPI_DOCUMENT, openApiPath } from '../../../src/web/api/openapi-document';
import { startDashboardStand } from '../../helpers/dashboard-stand';

type Operation = { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> };
const paths = OPENAPI_DOCUMENT.paths as unknown as Record<string, Record<string, Operation | unknown>>;

describe('the JSON API is documented as OpenAPI, in step with the routes', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;
  beforeAll(async () => {
    stand = await startDashboardStand();
  });
  afterAll(async () => stand.close());

  const apiRoutes = () =>
    stand.app.registeredRoutes
      .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD')
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.url)}`)
      .sort();
  const documented = () =>
    Object.entries(paths)
      .flatMap(([path, item]) => Object.keys(item).filter((k) => ['get', 'post', 'put', 'delete', 'patch'].includes(k)).map((m) => `${m} ${path}`))
      .sort();

  it('every registered /api route is in the document, and every documented operation is registered', () => {
    expect(apiRoutes().length).toBeGreaterThan(15);
    expect(documented()).toEqual(apiRoutes());
  });

  it('the export upload is documented with its own key, and answers 401 without it as documented', async () => {
    expect(Object.keys((paths['/api/links/{id}/exports'] as Record<string, Operation>).post.responses).sort()).toEqual(['200', '201', '401', '403', '413', '422']);
    const r = await stand.app.inject({ method: 'POST', url: '/api/links/link-1/exports', payload: 'x' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ error: 'intake.token_invalid' });
  });

  it('every operation says 401 without sign-in (except the document itself); every POST needs X-CSRF-Token', () => {
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post'].includes(method)) continue;
        const operation = op as Operation;
        if (path !== '/api/openapi.json') expect([path, Object.keys(operation.responses)]).toEqual([path, expect.arrayContaining(['200', '401'])]);
        // A POST signed in by session needs the CSRF token; the export upload is authenticated by the link's upload key instead.
        const byUploadKey = (operation as { security?: Record<string, unknown>[] }).security?.some((s) => 'uploadKey' in s) ?? false;
        if (method === 'post') expect([path, byUploadKey || operation.parameters?.some((p) => p.in === 'header' && p.name === 'X-CSRF-Token')]).toEqual([path, true]);
      }
    }
  });

  it('is served at /api/openapi.json to a signed-in person, in Russian', async () => {
    const viewer = await stand.signedIn(['viewer'], ['school-1']);
    const r = await stand.app.inject({ url: '/api/openapi.json', headers: viewer.headers });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ openapi: '3.1.0', info: { title: expect.stringContaining('API панели') } });
    expect((await stand.app.inject({ url: '/api/openapi.json' })).statusCode).toBe(401);
  });
});
