import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalize } from '../../src/extensions/manifest/canonical-json.js';

test('RFC 8785 §3.2.2.3 number serialisation examples', () => {
  // The input is JSON text, so the numbers go through the same parse a verifier does.
  const parsed = JSON.parse('[333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001, -0, 1e21, 1e-7, 9007199254740993]');
  assert.equal(canonicalize(parsed), '[333333333.3333333,1e+30,4.5,0.002,1e-27,0,1e+21,1e-7,9007199254740992]');
});

test('RFC 8785 §3.2.2.2 string escaping', () => {
  const parsed = JSON.parse('"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/"');
  assert.equal(canonicalize(parsed), '"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
  assert.equal(canonicalize('\b\t\f\r\u0001'), '"\\b\\t\\f\\r\\u0001"');
});

test('RFC 8785 §3.2.3 member order: by UTF-16 code units', () => {
  const parsed = JSON.parse('{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}');
  // (Compare text: JSON.parse would move the integer-like key "1" to the front again.)
  const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
  const expected = `{${order.map((k) => `${JSON.stringify(k)}:${JSON.stringify((parsed as Record<string, string>)[k])}`).join(',')}}`;
  assert.equal(canonicalize(parsed), expected);
});

test('literals, nesting and whitespace', () => {
  assert.equal(canonicalize(JSON.parse(' { "b" : [ true , false , null ] , "a" : { "y" : 1 , "x" : "s" } } ')), '{"a":{"x":"s","y":1},"b":[true,false,null]}');
});

test('stable across key order and number formats', () => {
  const a = JSON.parse('{"version":"1.0.0","capabilities":{"network":{"origins":["https://a.example"],"reason":"r"}},"n":1.0,"m":100}');
  const b = JSON.parse('{"m":1e2,"n":1,"capabilities":{"network":{"reason":"r","origins":["https://a.example"]}},"version":"1.0.0"}');
  assert.equal(canonicalize(a), canonicalize(b));
  // ...but array order and string content are significant.
  assert.notEqual(canonicalize({ x: [1, 2] }), canonicalize({ x: [2, 1] }));
  assert.notEqual(canonicalize({ x: 'a' }), canonicalize({ x: 'a ' }));
});

test('rejects what I-JSON cannot hold: NaN, Infinity, BigInt, functions, cycles', () => {
  for (const bad of [Number.NaN, Infinity, [1, -Infinity], { a: 10n }, { f: () => 1 }]) assert.throws(() => canonicalize(bad), TypeError);
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  assert.throws(() => canonicalize(cyclic), /cyclic/);
  assert.equal(canonicalize({ a: undefined, b: 1 }), '{"b":1}', 'undefined members are absent, as in JSON.stringify');
});
