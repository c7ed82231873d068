#!/usr/bin/env node
// Builds everything a user or a test needs: ES library (+ lazy renderer chunk), the classic-script
// IIFE file, type declarations and the Custom Elements Manifest. Prints gzip sizes.
import { execFileSync } from 'node:child_process';
import { rmSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const bin = (name) => join('node_modules', '.bin', name);
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });

rmSync('dist', { recursive: true, force: true });
run(bin('vite'), ['build', '--logLevel', 'warn'], { BUILD_TARGET: 'es' });
run(bin('vite'), ['build', '--logLevel', 'warn'], { BUILD_TARGET: 'iife' });
run(bin('tsc'), ['-p', 'tsconfig.json']);
run(bin('cem'), ['analyze', '--quiet'], {});
run(process.execPath, ['--import', 'tsx', 'scripts/cem-params.ts']);

const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const chunks = readdirSync('dist/chunks').filter((f) => f.endsWith('.js')).map((f) => join('dist/chunks', f));
const entry = 'dist/vib3-embed.js';
const iife = 'dist/vib3.iife.js';
const entryText = readFileSync(entry, 'utf8');
const isStatic = (c) => new RegExp(`from\\s*["']\\./chunks/${c.split('/').pop().replace(/[.$-]/g, '\\$&')}["']`).test(entryText);
const lines = [
  `  ${iife}: ${kb(statSync(iife).size)} raw, ${kb(gz(iife))} gzip`,
  `  ${entry}: ${kb(statSync(entry).size)} raw, ${kb(gz(entry))} gzip`,
  ...chunks.map((c) => `  ${c}: ${kb(statSync(c).size)} raw, ${kb(gz(c))} gzip (${isStatic(c) ? 'loaded with the entry' : 'lazy'})`),
];
console.log(`build sizes:\n${lines.join('\n')}`);
