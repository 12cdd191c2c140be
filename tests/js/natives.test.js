// node --test: putting back the built-ins Dash's polyfill replaces (assets/js/01_natives.js), in node's own realms.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const vm = require("node:vm");
const natives = require("../../assets/js/01_natives.js");

/** A fresh realm whose global we can spoil as core-js 2 does, and a pristine one to restore from. */
function realms() {
  return { spoiled: vm.runInContext("globalThis", vm.createContext({})), pristine: vm.runInContext("globalThis", vm.createContext({})) };
}

test("restore puts back exactly the replaced functions, keeping enumerability, and names them", () => {
  const { spoiled, pristine } = realms();
  const fake = function trim() {
    return String(this).replace(/^\s+|\s+$/g, "");
  };
  spoiled.String.prototype.trim = fake;
  Object.defineProperty(spoiled, "parseFloat", { value: (s) => Number(s), writable: true, configurable: true, enumerable: true });
  const before = spoiled.String.prototype.trimEnd;
  const done = natives.restore(spoiled, pristine);
  assert.deepEqual(done, ["String.prototype.trim", "parseFloat"]);
  assert.equal(spoiled.String.prototype.trim, pristine.String.prototype.trim);
  assert.equal(spoiled.parseFloat, pristine.parseFloat);
  assert.equal(spoiled.String.prototype.trimEnd, before, "an untouched built-in stays as it was");
  assert.equal(Object.getOwnPropertyDescriptor(spoiled.String.prototype, "trim").enumerable, false, "a method stays non-enumerable");
  assert.equal(Object.getOwnPropertyDescriptor(spoiled, "parseFloat").enumerable, true, "enumerability is kept as found");
  assert.equal(vm.runInContext("' x '.trim() + parseFloat('2.5e1')", vm.createContext(spoiled)), "x25");
});

test("restore changes nothing when nothing was replaced, and skips owners that are missing", () => {
  const { spoiled, pristine } = realms();
  assert.deepEqual(natives.restore(spoiled, pristine), []);
  assert.deepEqual(natives.restore(spoiled, {}), [], "a realm without the owners gives nothing");
  assert.deepEqual(natives.restore({}, pristine), [], "a target without the owners takes nothing");
});

test("the list names the nine built-ins core-js 2 replaces on Chromium; no browser means nothing restored", () => {
  assert.equal(natives.NAMES.length, 9);
  assert.deepEqual(natives.restoreFromFreshRealm({}), []);
});

test("replaced tells a JavaScript function from a built-in, even when toString is hooked to lie", () => {
  const { spoiled, pristine } = realms();
  const fake = vm.runInContext("(function trim() { return this; })", vm.createContext(spoiled));
  assert.equal(natives.replaced(fake, pristine), true);
  assert.equal(natives.replaced(spoiled.String.prototype.trim, pristine), false);
  spoiled.Function.prototype.toString = () => "function trim() { [native code] }"; // core-js's disguise
  assert.equal(natives.replaced(fake, pristine), true, "asked with the pristine realm's toString");
  assert.equal(natives.replaced(undefined, pristine), false);
});
