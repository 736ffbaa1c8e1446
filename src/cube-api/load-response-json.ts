import type { CubeLoadResult, CubeMultiResult } from './load-response.js';

/**
 * `/v1/load`'s answer as JSON text, with each result's `data` serialised once per engine result.
 *
 * A cached answer's rows are the same array every time (load-response.ts converts them once per
 * result), yet serialising 2,000 rows of text cells cost more than everything else the request
 * did; so the text of a `data` value is kept beside it (a WeakMap: it goes when the result does)
 * and spliced into the body. The rest is small and serialised per request. Keys keep Cube's order.
 */
const dataText = new WeakMap<object, string>();

export function loadAnswerJson(body: CubeLoadResult | CubeMultiResult): string {
  if ('results' in body) {
    const { queryType, results, ...rest } = body;
    return `{"queryType":${JSON.stringify(queryType)},"results":[${results.map(resultJson).join(',')}],${JSON.stringify(rest).slice(1)}`;
  }
  return resultJson(body);
}

function resultJson(result: CubeLoadResult): string {
  const { query, data, ...rest } = result;
  // `rest` always holds the annotation, so its text is never `{}`.
  return `{"query":${JSON.stringify(query)},"data":${dataJson(data)},${JSON.stringify(rest).slice(1)}`;
}

function dataJson(data: CubeLoadResult['data']): string {
  let text = dataText.get(data);
  if (text === undefined) {
    text = JSON.stringify(data);
    dataText.set(data, text);
  }
  return text;
}
