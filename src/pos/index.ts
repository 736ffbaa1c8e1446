export { POS_VALIDATE_PATH, registerPosRoute, type PosRouteDeps } from './pos-route.js';
