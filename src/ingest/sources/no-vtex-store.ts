/**
 * Why a pulled VTEX source cannot run in this process: no store is connected. With real
 * credentials the pipeline connects one when it opens; the bundled sandbox exists only while the
 * service runs, and a `farol` command then goes through the service.
 */
export const NO_VTEX_STORE =
  'no VTEX store to read from: set VTEX_ACCOUNT, VTEX_APP_KEY and VTEX_APP_TOKEN (the bundled sandbox is read while the service runs; the command then goes through it)';
