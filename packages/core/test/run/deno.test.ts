import * as library from "../../src/index.ts";
import { runStoreContracts } from "../suite/stores.ts";
import { runVectors } from "../suite/vectors.ts";
import { vectorFiles } from "../vectors/index.ts";

runVectors(library, vectorFiles, { test: (name, body) => Deno.test(name, body) });
runStoreContracts(library, { test: (name, body) => Deno.test(name, body) });
