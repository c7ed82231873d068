// bench/results/llm.md from the results bench/llm.mjs collects.

const LABEL = {
  direct: 'direct: AI SDK model `doStream`',
  router: 'router (one deployment)',
  routerBudgets: 'router + budgets (2-deployment group)',
};
const PROVIDER = { openai: 'OpenAI Chat Completions', 'openai-responses': 'OpenAI Responses', anthropic: 'Anthropic Messages', 'openai-compatible': 'OpenAI-compatible' };

/** ms with precision that suits its size. */
function ms(x, signed = false) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const a = Math.abs(x);
  const text = a < 10 ? x.toFixed(2) : a < 100 ? x.toFixed(1) : x.toFixed(0);
  return `${signed && x > 0 ? '+' : ''}${text} ms`;
}
const us = (x, signed = false) => (x === null || x === undefined ? '–' : `${signed && x > 0 ? '+' : ''}${x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} µs`);
const verdict = (ok) => (ok ? '**met**' : '**not met**');
const num = (n) => n.toLocaleString('en-US');

export function renderReport(r) {
  const m = r.machine;
  const providers = Object.keys(r.providers);
  const v = r.versions;
  const s = r.settings;
  const L = [];
  L.push(`# LLM router benchmark (${r.date})`, '');
  L.push(`Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGB} GB, Node ${m.node}, ${m.os}; load average (1, 5, 15 min) ${r.loadAverage.start.join(', ')} at the start, ${r.loadAverage.end.join(', ')} at the end.`);
  L.push(`Packages: @ai-sdk/openai ${v['@ai-sdk/openai']}, @ai-sdk/anthropic ${v['@ai-sdk/anthropic']}, @ai-sdk/openai-compatible ${v['@ai-sdk/openai-compatible']} (@ai-sdk/provider ${v['@ai-sdk/provider']}, @ai-sdk/provider-utils ${v['@ai-sdk/provider-utils']}); Node's fetch is undici ${v['undici (Node fetch)']}.`);
  L.push(
    `Server: the loopback LLM fake (\`test/support/llm-fake\`, each provider's SSE wire format, one event per ${s.fragmentChars}-character fragment) in this process. Request: one agent step (${s.request.messages} messages, ${s.request.tools} tools, ${num(s.request.requestJsonChars)} characters of call options), the same on every side.`,
  );
  L.push(
    `Runs per provider: ${s.runs} per side for the per-request rows (${s.shortChunks}-chunk answer), ${s.longRuns} per side for the per-chunk rows (${num(s.longChunks)}-chunk answer), ${s.sessionRuns} per side for sessions; the sides interleaved, order rotating every round, after ${s.warmupRounds.short} / ${s.warmupRounds.long} / ${s.warmupRounds.session} unrecorded rounds. Whole run: ${r.totalSeconds} s.`,
  );
  L.push('Numbers are measured and reported, never asserted.', '');

  L.push('## Goal', '');
  L.push(`"Router overhead < ${r.goals.addedP95Ms} ms p95 added per request" (issue 22), read as the router's p95 minus the direct call's p95 over the same rounds; the p95 of the per-round paired differences is shown next to it (it carries the noise of both sides, so it is the harsher reading).`, '');
  L.push('| provider | router | direct p95 | router p95 | added p95 | paired Δ p95 | |', '|---|---|---|---|---|---|---|');
  for (const p of providers) {
    const pr = r.providers[p].perRequest;
    for (const name of ['router', 'routerBudgets']) {
      const shown = verdict(r.goals.met[p][name]);
      L.push(`| ${PROVIDER[p] ?? p} | ${LABEL[name]} | ${ms(pr.sides.direct.ms.p95)} | ${ms(pr.sides[name].ms.p95)} | ${ms(pr.added[name].p95Ms, true)} | ${ms(pr.added[name].pairedMs.p95, true)} | ${shown} |`);
    }
  }
  const count = (name) => providers.filter((p) => r.goals.met[p][name]).length;
  const range = (name) => {
    const xs = providers.map((p) => r.providers[p].perRequest.added[name].pairedMs.p50);
    return `${ms(Math.min(...xs), true)} to ${ms(Math.max(...xs), true)}`;
  };
  L.push(
    '',
    `Met for ${count('router')} of ${providers.length} providers with the router as shipped, ${count('routerBudgets')} of ${providers.length} with budgets. At the median (paired p50) the router adds ${range('router')} per request, with budgets ${range('routerBudgets')}.`,
    '',
  );
  const mc = r.modelCost;
  const compat = mc.plainNode.modelUs['openai-compatible'];
  L.push(
    'The router makes one provider model per deployment, on the deployment\'s first use, with the factory the kit ships (`(d) => createProviderModel(d, { secrets })` in `src/agent-server/agent-run.ts` and `llm-environment.ts`), and keeps it (a factory failure is not kept, so the next request tries again). Here that first use falls in the unrecorded warm-up, so the rows above and below do not contain it. What it costs, i.e. what the first request on each deployment pays once, and what every attempt would pay without the cache, measured at the start of this run:',
    '',
    '| provider | plain Node: the provider\'s constructor, same settings | this process (tsx): `createProviderModel` |',
    '|---|---|---|',
  );
  for (const p of providers) L.push(`| ${PROVIDER[p] ?? p} | ${us(mc.plainNode.modelUs[p])} | ${us(mc.tsx.createProviderModelUs[p])} |`);
  L.push(
    '',
    `\`createProviderModel\` also runs one \`import()\` of the (already loaded) provider package per model: ${us(mc.plainNode.importUs)} in plain Node, but this bench runs on the TypeScript sources through tsx, whose loader hooks see every dynamic import, which is most of the tsx column for the OpenAI and Anthropic models (the CLI is bundled by esbuild, which resolves the import at build time). The OpenAI-compatible chat model builds its zod stream-chunk schema in its constructor, which costs ${ms(compat / 1000)} in plain Node too: ${compat / 1000 >= r.goals.addedP95Ms ? 'more than' : 'much of'} the whole ${r.goals.addedP95Ms} ms budget, were it paid on every request, which is why the router keeps its models.`,
    '',
  );
  L.push(`## Per request (${s.shortChunks}-chunk streamed answer + usage, read to its end)`, '');
  L.push('Wall time from the call to the last part; CPU is this process\'s user + system time over the same span (the fake\'s share included, on every side). "added" = this row − direct: difference of the percentiles, then the p50 / p95 of the same-round differences.', '');
  L.push('| provider | side | runs | p50 | p95 | p99 | CPU p50 | added p50 | added p95 | paired Δ p50 / p95 | added CPU p50 |', '|---|---|---|---|---|---|---|---|---|---|---|');
  for (const p of providers) {
    const pr = r.providers[p].perRequest;
    for (const [name, side] of Object.entries(pr.sides)) {
      const a = pr.added[name];
      L.push(`| ${PROVIDER[p] ?? p} | ${LABEL[name]} | ${side.runs} | ${ms(side.ms.p50)} | ${ms(side.ms.p95)} | ${ms(side.ms.p99)} | ${ms(side.cpuMs.p50)} | ${a ? ms(a.p50Ms, true) : ''} | ${a ? ms(a.p95Ms, true) : ''} | ${a ? `${ms(a.pairedMs.p50, true)} / ${ms(a.pairedMs.p95, true)}` : ''} | ${a ? ms(a.pairedCpuMs.p50, true) : ''} |`);
    }
  }
  L.push('');

  L.push(`## Per chunk (${num(s.longChunks)}-chunk streamed answer)`, '');
  L.push('µs per chunk = p50 of the whole answer ÷ its text chunks. "added" = p50 of the same-round differences ÷ chunks; "beyond the request" takes the per-request added p50 (the short answer) out first: (added long − added short) ÷ (chunks long − chunks short), what one more chunk costs through the router.', '');
  L.push('| provider | chunks | direct p50 | router p50 | direct µs/chunk | router µs/chunk | added µs/chunk | beyond the request | CPU: direct / router / added µs/chunk |', '|---|---|---|---|---|---|---|---|---|');
  for (const p of providers) {
    const c = r.providers[p].perChunk;
    L.push(`| ${PROVIDER[p] ?? p} | ${num(c.chunks)} | ${ms(c.sides.direct.ms.p50)} | ${ms(c.sides.router.ms.p50)} | ${us(c.usPerChunk.direct)} | ${us(c.usPerChunk.router)} | ${us(c.addedUsPerChunk, true)} | ${us(c.marginalAddedUsPerChunk, true)} | ${us(c.usPerChunk.cpuDirect)} / ${us(c.usPerChunk.cpuRouter)} / ${us(c.addedCpuUsPerChunk, true)} |`);
  }
  L.push('');

  if (providers.some((p) => r.providers[p].session)) {
    L.push('## Agent session (one tool-call step + one text step)', '');
    L.push('`runAgentSession` over the router (the one-deployment configuration, default policy, in-memory canvas tools) against the same two steps written by hand over `doStream`: the same messages (system text + untrusted-data notice, the tool call, the tool result wrapped as untrusted data), the same tool called on the same in-memory source.', '');
    L.push('| provider | runs | side | p50 / p95 | added p50 | added p95 | paired Δ p50 / p95 | added CPU p50 |', '|---|---|---|---|---|---|---|---|');
    for (const p of providers) {
      const x = r.providers[p].session;
      if (!x) continue;
      L.push(`| ${PROVIDER[p] ?? p} | ${x.sides.direct.runs} | hand-written loop over \`doStream\` | ${ms(x.sides.direct.ms.p50)} / ${ms(x.sides.direct.ms.p95)} | | | | |`);
      const a = x.added;
      L.push(`| ${PROVIDER[p] ?? p} | ${x.sides.session.runs} | runAgentSession over the router | ${ms(x.sides.session.ms.p50)} / ${ms(x.sides.session.ms.p95)} | ${ms(a.p50Ms, true)} | ${ms(a.p95Ms, true)} | ${ms(a.pairedMs.p50, true)} / ${ms(a.pairedMs.p95, true)} | ${ms(a.pairedCpuMs.p50, true)} |`);
    }
    L.push('');
  }

  L.push('## Notes', '');
  L.push(
    '- **Sides.** *direct*: the provider model is made once (`createProviderModel`, the same settings as the router\'s) and `doStream` is read with a stream reader. *router*: `new Router(singleProviderConfig({ provider, baseURL }), (d) => createProviderModel(d, { secrets }))`, the configuration and factory the CLI and the registry\'s `/v1/agent` build; the first attempt on the deployment makes its provider model (reads the secret, builds the provider) and the router keeps it; every attempt estimates the request\'s tokens (JSON of prompt + tools), checks cooldown, context window and budget, reports its decisions, and re-yields every part through two async generators, adding a `route` part with tokens and cost after the finish. *router + budgets*: a group of two deployments of the provider with request and token budgets (far above what the bench spends, so nothing waits), pricing and context windows.',
  );
  const decisions = providers.map((p) => `${PROVIDER[p] ?? p}: ${Object.entries(r.providers[p].decisions).map(([name, d]) => `${name} ${Object.entries(d).map(([k, n]) => `${k} ${num(n)}`).join(', ')}`).join('; ')}`);
  L.push(`- **Router decisions**, counted per router over all its rounds, warm-up included (*router* also serves the per-chunk rows, *session* is the router of the session rows; every request one attempt and one success, no retry or fallback): ${decisions.join(' · ')}. After every run the fake had seen exactly the requests expected (one per step).`);
  const made = providers.map((p) => `${PROVIDER[p] ?? p}: ${Object.entries(r.providers[p].modelsMade ?? {}).map(([name, m]) => `${name} ${Object.entries(m).map(([id, n]) => `${id} ${num(n)}`).join(', ') || 'none'}`).join('; ')}`);
  L.push(`- **Models made** (factory calls per router, by deployment, over all its rounds): ${made.join(' · ')}. *router + budgets* never needs its second deployment, so it never makes its model.`);
  L.push('- **The fake runs in this process**, so its work (building and writing each SSE event, one event-loop turn apart) is in the times of both sides, and CPU is this process\'s whole CPU time. A hosted model streams tens of tokens a second, so in production the per-chunk cost is spread over the gaps between events; here the events come as fast as one process can make and read them, which makes these numbers an upper bound of the wall time the router adds.');
  L.push('- **Noise.** Other work on the machine (see the load average) lengthens runs on both sides; the rounds interleave the sides so it hits them alike, but a p95 of a few-ms request on a busy 2-core machine moves by more than the router\'s cost from run to run. The CPU columns are less sensitive to other processes than wall time.');
  L.push('');
  return `${L.join('\n')}\n`;
}
