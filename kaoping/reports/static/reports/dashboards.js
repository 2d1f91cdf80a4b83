// Draws every [data-chart] container from the JSON its json_script element holds (option and
// click targets); no data is ever written into script code.
(function () {
  "use strict";
  function draw() {
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || !window.echarts) return;
      var payload = JSON.parse(source.textContent);
      if (!payload.option || !payload.option.series) return;
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(payload.option);
      var links = payload.links || [];
      chart.on("click", function (params) {
        var link = links[params.dataIndex];
        if (link) window.location.search = link;
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
