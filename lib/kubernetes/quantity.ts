/** Kubernetes resource quantities (`500m`, `2Gi`, `1.5`), as pods and charts take them. */

const QUANTITY = /^(\d+(\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const FACTORS: Readonly<Record<string, number>> = {
  "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** What a quantity must look like, for messages. */
export const QUANTITY_RULE = "a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi";

/** True for a quantity the API server accepts in this plain (non-exponent) form. */
export function isQuantity(text: string): boolean {
  return QUANTITY.test(text);
}

/** The quantity's value in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  return m ? Number(m[1]) * FACTORS[m[3] ?? ""]! : undefined;
}
