/**
 * tickless: LiveChart's `source="tickless"` mode. Inside the Tickless app the tab has already decoded
 * its dataset into typed arrays and runs one replay clock (assets/js/50_stream.js keeps both in
 * window.dash_clientside.tickless.stream.tab). In this mode the chart reads those each frame, so it
 * draws the same samples on the same clock as every plotly panel, with no copy beyond what it draws:
 *   dataset {rate, length, names, channels: Float32Array[], ranges}, clock (assets/js/20_clock.js).
 * `playing` and `speed` then belong to the tab (its controls re-anchor the clock); `window`, `channels`
 * and the looks still come from the chart's props. Pure: the page root is passed in.
 */

/** The tab's engine state, or null when the Tickless engine is not on this page (yet). */
function tabOf(root) {
  const ns = root && root.dash_clientside && root.dash_clientside.tickless;
  return (ns && ns.stream && ns.stream.tab) || null;
}

/**
 * The tab's decoded dataset and clock as a LiveChart source, or {ready: false} while the dataset is not
 * decoded or the clock not started (the chart shows its loading state meanwhile). The source object is
 * kept while the dataset is the same, so the chart's envelopes carry on from frame to frame.
 */
export function ticklessSource(root, previous) {
  const tab = tabOf(root);
  const ds = tab && tab.dataset;
  if (!ds || !tab.clock) return { ready: false, found: Boolean(tab) };
  if (previous && previous.dataset === ds) {
    previous.clock = tab.clock;
    return previous;
  }
  return {
    ready: true,
    found: true,
    dataset: ds,
    clock: tab.clock,
    names: ds.names,
    rate: ds.rate,
    ranges: ds.ranges,
    loop: true,
    start: 0,
    end: Infinity,
    array: (c) => ds.channels[c],
  };
}
