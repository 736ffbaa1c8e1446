import type { CubeNativeInstance } from './cube-types.js';

/**
 * Cube's compiler asks its native module for a Jinja engine before it compiles anything, even
 * for plain YAML. Farol does not install that module (its binaries download from GitHub at
 * install time), so this stand-in hands out an engine that refuses work. The model repository
 * rejects Jinja and Python files before compiling, so these throws are a second line only.
 */
const UNSUPPORTED = 'Jinja and Python Cube models are not supported by Farol; write the model in plain YAML or JavaScript';

export function noJinjaNativeInstance(): CubeNativeInstance {
  return {
    newJinjaEngine() {
      return {
        loadTemplate(fileName: string) {
          throw new Error(`${fileName}: ${UNSUPPORTED}`);
        },
        renderTemplate(fileName: string) {
          throw new Error(`${fileName}: ${UNSUPPORTED}`);
        },
      };
    },
    loadPythonContext(fileName: string) {
      throw new Error(`${fileName}: ${UNSUPPORTED}`);
    },
  };
}
