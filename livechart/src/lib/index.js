/** The tickless_livechart bundle: what Dash finds as window.tickless_livechart.LiveChart. */
import LiveChart from "./components/LiveChart.react.js";

export { LiveChart };
