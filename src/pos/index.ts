export { POS_VALIDATE_PATH, registerPosRoute, type Authenticate, type PosRouteDeps } from './pos-route.js';
