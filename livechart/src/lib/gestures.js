/**
 * gestures: what the user's mouse does to a LiveChart, as handlers for chart.js. Zoom (drag) and pan
 * (shift+drag) freeze the x range where the user put it (new data keeps arriving and is drawn if it falls
 * inside); double-click follows the live edge again. Clicks and hovers become clickData / hoverData,
 * zoom and pan become xRange, all through the controller's outbox (sampled; user actions sent at once).
 */
import { secondsPerPixel, yPos } from "./chart.js";
import { offer } from "./outbox.js";

/**
 * The shown channel whose drawn value at `idx` is nearest to the vertical pixel `top`: {k, c} (position, data
 * channel). Compared in pixels, so stacked rows (one y scale each) are compared where they are drawn.
 */
function nearest(chart, last, idx, top) {
  let best = -1;
  let gap = Infinity;
  last.cols.ys.forEach((ys, k) => {
    const d = Math.abs(yPos(chart, ys[idx], k) - top);
    if (d < gap) {
      gap = d;
      best = k;
    }
  });
  return best < 0 ? null : { k: best, c: last.chans[best] };
}

/** A plain description of drawn point `idx` of shown channel position `k`. */
function pointAt(last, idx, k) {
  const index = last.cols.index[k][idx];
  const c = last.chans[k];
  return { channel: c, name: last.names[c], index, x: index / last.rate, y: last.cols.ys[k][idx] };
}

/** Handlers bound to controller state `st` ({chart, last, frozen, box, dirty, doc}). */
export function gestures(st) {
  /** Freeze the x axis at [x0, x1] seconds and report it. */
  function freeze(range, urgent) {
    st.frozen = [Math.min(range[0], range[1]), Math.max(range[0], range[1])];
    st.dirty = true;
    offer(st.box, "xRange", st.frozen.slice(), urgent);
  }

  return {
    onZoom(range) {
      if (Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] !== range[1]) freeze(range, true);
    },

    onFollow() {
      st.frozen = null;
      st.dirty = true;
      offer(st.box, "xRange", null, true);
    },

    onPan(u, e) {
      const base = st.frozen || [u.scales.x.min, u.scales.x.max];
      const x0 = e.clientX;
      const spp = secondsPerPixel(st.chart);
      const doc = st.doc;
      const move = (ev) => freeze([base[0] - (ev.clientX - x0) * spp, base[1] - (ev.clientX - x0) * spp], false);
      const up = (ev) => {
        doc.removeEventListener("mousemove", move);
        doc.removeEventListener("mouseup", up);
        move(ev);
        st.box.urgent = true;
      };
      doc.addEventListener("mousemove", move);
      doc.addEventListener("mouseup", up);
      st.unpan = () => up({ clientX: x0 });
    },

    onClick(idx, top) {
      const last = st.last;
      if (!last || idx === null || idx === undefined || !(top >= 0) || !last.cols.n) return;
      const hit = nearest(st.chart, last, idx, top);
      if (!hit) return;
      offer(st.box, "clickData", Object.assign(pointAt(last, idx, hit.k), { t: Date.now() }), true);
    },

    onHover(idx, left) {
      const last = st.last;
      if (!last || idx === null || idx === undefined || !(left >= 0) || !last.cols.n) {
        offer(st.box, "hoverData", null, false);
        return;
      }
      offer(st.box, "hoverData", { points: last.chans.map((_, k) => pointAt(last, idx, k)) }, false);
    },
  };
}
