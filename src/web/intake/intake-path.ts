/** The export upload path, authenticated by the link's upload key instead of a session (no CSRF: no cookie is used). */
export const EXPORT_INTAKE_PATH = /^\/api\/links\/[^/]+\/exports$/;
