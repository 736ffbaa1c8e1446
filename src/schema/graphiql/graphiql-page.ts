/** Where the page's scripts and styles are served; under the API's path so one proxy rule covers both. */
export const GRAPHIQL_ASSETS_PATH = '/graphql/assets';

/**
 * Scripts only from Farol itself, no inline script, requests only back to Farol. Styles allow
 * inline because GraphiQL's editors set style attributes; fonts and icons are data: URLs in its CSS.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The page shell. The API key is typed into the page's own field, kept in `sessionStorage` (this
 * tab only, gone when it closes) and sent as `Authorization: Bearer`; it is never part of a URL,
 * and GraphiQL's header editor, which it would persist, is not used for it.
 */
export function graphiqlPage(endpoint: string): string {
  const asset = (name: string) => `${GRAPHIQL_ASSETS_PATH}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Farol GraphQL</title>
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<link rel="stylesheet" href="${asset('farol-graphiql.css')}">
</head>
<body data-endpoint="${endpoint}">
<form id="farol-key" class="farol-key" autocomplete="off">
  <strong>Farol</strong>
  <label for="farol-api-key">API key</label>
  <input id="farol-api-key" name="farol-api-key" type="password" spellcheck="false" placeholder="paste a key (kept in this tab only)">
  <button id="farol-use-key" type="submit">Use key</button>
  <button id="farol-forget-key" type="button">Forget</button>
  <span id="farol-key-status" role="status"></span>
</form>
<div id="graphiql"></div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('farol-graphiql.js')}"></script>
</body>
</html>
`;
}

/** True when the client prefers HTML to JSON: a browser's navigation, not a GraphQL client's GET. */
export function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  const html = types.indexOf('text/html');
  if (html < 0) return false;
  const json = types.findIndex((t) => t === 'application/json' || t === 'application/graphql-response+json');
  return json < 0 || html < json;
}
