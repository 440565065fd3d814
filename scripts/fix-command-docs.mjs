#!/usr/bin/env node
// After `oclif readme --multi --output-dir docs/commands`: oclif writes the
// topic links relative to the repo root (docs/commands/x.md); the index lives
// in docs/commands itself, so make them relative to it.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../docs/commands/README.md', import.meta.url);
writeFileSync(file, readFileSync(file, 'utf8').replaceAll('](docs/commands/', ']('));
