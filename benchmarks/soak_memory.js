// Evaluated by the soak (CDP Runtime.evaluate, benchmarks/soak_memory.py) as one synchronous call, so the page runs
// nothing between its parts: a forced garbage collection when the browser exposes one (--js-flags=--expose-gc),
// the JS heap used right after it, and the nodes attached to the document (every node a TreeWalker reaches from
// the document, open shadow roots and same-origin frames included). Memory.getDOMCounters' `nodes` counts every
// Node object in the renderer, garbage included; what a DOM leak grows is nodes still attached, or held detached
// by something reachable (which the heap holds).
(function () {
  "use strict";
  const collected = typeof window.gc === "function";
  if (collected) window.gc();
  const heap = performance.memory ? performance.memory.usedJSHeapSize : null;
  let nodes = 0;
  const visit = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      nodes += 1;
      if (node.shadowRoot) visit(node.shadowRoot);
      if (node.contentDocument) visit(node.contentDocument);
    }
  };
  visit(document);
  return { collected, heap, nodes };
})
