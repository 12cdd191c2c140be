/** The sample app's one clientside callback (the generic load mode must skip it: it never reaches the server). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  loadsample: Object.assign({}, (window.dash_clientside || {}).loadsample, {
    /** Echo the Interval count as text. */
    echo: function (n) {
      return String(n);
    },
  }),
});
