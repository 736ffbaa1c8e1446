import fs from 'node:fs';
import path from 'node:path';
import { Rng } from '../vtex/random.js';
import { STORES } from '../vtex/store-fixture.js';

/**
 * A store-targets spreadsheet for the sandbox's stores, as a Brazilian commercial team would
 * export it (`;` between fields, `,` for decimals), covering the last twelve months and the next
 * two. Deterministic by seed; written once and left alone, so an operator can edit it and watch
 * the next scheduled run pick the change up.
 */
export function writeSandboxStoreTargets(file: string, seed: number, now = new Date()): string {
  if (fs.existsSync(file)) return file;
  const rng = Rng.derive(seed, 0x5eed);
  const lines = ['loja;mes;meta_receita;meta_pedidos'];
  for (let back = 12; back >= -2; back--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    for (const store of STORES) {
      const base = store.physical ? 60_000 : 400_000;
      const revenue = Math.round(base * (0.8 + rng.next() * 0.4) * 100) / 100;
      const orders = Math.round(revenue / (store.physical ? 180 : 320));
      lines.push(`${store.id};${month};${brl(revenue)};${orders}`);
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** 150000.5 → `150.000,50`. */
function brl(n: number): string {
  const [int, dec] = n.toFixed(2).split('.') as [string, string];
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${dec}`;
}
