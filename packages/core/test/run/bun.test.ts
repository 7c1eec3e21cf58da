import { test } from "bun:test";
import * as library from "../../src/index.ts";
import { runStoreContracts } from "../suite/stores.ts";
import { runVectors } from "../suite/vectors.ts";
import { vectorFiles } from "../vectors/index.ts";

runVectors(library, vectorFiles, { test });
runStoreContracts(library, { test });
