// Helpers of the `vib3 mcp` end-to-end tests: the built CLI as an MCP server over stdio and over
// Streamable HTTP, real SDK clients for it, and PNG decoding (no dependencies) for the snapshots.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { CHROMIUM_PATH } from '../chromium-flags.mjs';

export const repo = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
export const cli = `${repo}/dist/cli/vib3.js`;
/** The system Chromium, for every server the tests start. */
export const serverEnv = { ...process.env, VIB3_CHROMIUM: CHROMIUM_PATH };
/** Generous per-request timeout: the first frame of software rendering on a busy machine. */
export const REQUEST = { timeout: 180_000 };

/** The kit's canvas tools, in tools/list order. */
export const CANVAS_TOOLS = ['set_params', 'get_params', 'set_rotation', 'set_mesh', 'set_theme', 'reset', 'list_geometries', 'describe_geometry', 'render_snapshot'];

/** An SDK client over stdio spawning `vib3 mcp …args`; `mode` is the version negotiation ('legacy' | 'auto' | { pin }). */
export async function stdioClient(args = [], mode = { pin: '2026-07-28' }) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', ...args], env: serverEnv, stderr: 'pipe' });
  const stderr = [];
  transport.stderr?.on('data', (chunk) => stderr.push(String(chunk)));
  const client = new Client({ name: 'vib3-e2e', version: '1.0.0' }, { versionNegotiation: { mode } });
  await client.connect(transport, REQUEST);
  return { client, stderr: () => stderr.join(''), close: () => client.close() };
}

/** Starts `vib3 mcp --http …args`; resolves with its URL once it prints it on stderr. */
export function startHttpServer(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'mcp', ...args], { env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => {
      stderr += c;
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) resolve({ url, child, stderr: () => stderr, stdout: () => stdout, stop: () => stop(child) });
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`vib3 mcp exited (${code}) before listening:\n${stderr}`), { code, stderr })));
  });
}

/** Ends a server process with SIGINT; resolves with its exit code. */
export function stop(child) {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

/** Runs `vib3 mcp …args` to completion (for startup refusals); resolves with { status, stdout, stderr }. */
export function runMcp(args, env = serverEnv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'mcp', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** An SDK client over Streamable HTTP. */
export async function httpClient(url, mode = 'auto', headers = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'vib3-e2e-http', version: '1.0.0' }, { versionNegotiation: { mode } });
  await client.connect(transport, REQUEST);
  return client;
}

/** The coded error of an isError tool result. */
export function errorCode(result) {
  assert.equal(result.isError, true, `expected an isError result: ${JSON.stringify(result).slice(0, 400)}`);
  return result.structuredContent?.error?.code;
}

// ---------------------------------------------------------------- PNG decoding

import { decodePng, pngSize } from './png-decode.mjs';

export { decodePng, pngSize };

/** Mean of each channel and the luminance spread of decoded pixels. */
export function pixelStats({ rgb }) {
  const n = rgb.length / 3;
  const mean = [0, 0, 0];
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    for (let c = 0; c < 3; c++) mean[c] += rgb[i + c];
    const l = 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
    sum += l;
    sum2 += l * l;
  }
  const m = sum / n;
  return { mean: mean.map((v) => v / n), std: Math.sqrt(Math.max(0, sum2 / n - m * m)) };
}

/** The image block of a render_snapshot result, decoded. */
export function snapshotImage(result) {
  assert.notEqual(result.isError, true, JSON.stringify(result).slice(0, 400));
  const image = result.content.find((c) => c.type === 'image');
  assert.ok(image, 'an image content block');
  assert.equal(image.mimeType, 'image/png');
  return decodePng(Buffer.from(image.data, 'base64'));
}
