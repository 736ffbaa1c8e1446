import { compileModel } from './cube/model-compiler.js';
import { ModelCatalog, type ModelMember, type ModelView } from './cube/model-catalog.js';

export type { ModelMember, ModelView };

/**
 * The public views of the Cube model in `modelDir`, compiled without a warehouse: what a face
 * needs to describe the model's API (the committed GraphQL SDL) when no engine is running.
 * A running service reads the same list from `SemanticEngine.modelViews` instead.
 */
export async function loadModelViews(modelDir: string): Promise<readonly ModelView[]> {
  const model = await compileModel(modelDir);
  return ModelCatalog.fromCompilers(model.compilers).views;
}
