export { CUBE_API_BASE_PATH, DEFAULT_CUBE_API_BODY_LIMIT, registerCubeApi, type CubeApiDeps } from './register-cube-api.js';
export { DEFAULT_CONTINUE_WAIT_MS, type PendingAnswersOptions } from './pending-answers.js';
export { MAX_QUERIES_PER_REQUEST } from './cube-query.js';
