/* The dashboard's charts (统计看板): each <div class="chart" data-chart="name"> is drawn from the
   page's JSON (<script id="dashboard-charts" type="application/json">, Django's json_script).
   Under the Content-Security-Policy: no inline script or style. ECharts draws on a canvas; its HTML
   tooltips would carry style="" attributes the policy blocks, so tooltips are drawn as rich text. */
(function () {
  "use strict";

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function narrow(element) {
    return element.clientWidth < 480;
  }

  function categoryAxis(spec, element) {
    return {
      type: "category",
      data: spec.categories,
      axisLabel: { hideOverlap: true, rotate: narrow(element) && spec.categories.length > 3 ? 35 : 0 },
    };
  }

  function valueAxis(spec) {
    return { type: "value", name: spec.unit || "", minInterval: spec.unit === "万元" ? 0 : 1 };
  }

  function option(spec, element) {
    var base = {
      animation: false,
      tooltip: { renderMode: "richText", trigger: spec.type === "pie" ? "item" : "axis", confine: true },
    };
    if (spec.type === "pie") {
      base.legend = { type: "scroll", bottom: 0 };
      base.series = [
        {
          type: "pie",
          radius: narrow(element) ? ["30%", "60%"] : ["35%", "65%"],
          label: { formatter: "{b}：{c}" },
          data: spec.data,
        },
      ];
      return base;
    }
    var horizontal = spec.type === "hbar";
    base.grid = { left: 8, right: 16, top: spec.series.length > 1 ? 40 : 24, bottom: 8, containLabel: true };
    if (spec.series.length > 1) {
      base.legend = { type: "scroll", top: 0 };
    }
    var categories = categoryAxis(spec, element);
    if (horizontal) {
      categories.inverse = true;
      categories.axisLabel = { width: narrow(element) ? 90 : 160, overflow: "truncate" };
      base.xAxis = valueAxis(spec);
      base.yAxis = categories;
    } else {
      base.xAxis = categories;
      base.yAxis = valueAxis(spec);
    }
    base.series = spec.series.map(function (line) {
      return {
        name: line.name,
        type: spec.type === "line" ? "line" : "bar",
        stack: spec.stack ? "total" : undefined,
        data: line.data.map(number),
        label: { show: !spec.stack && spec.series.length === 1 && spec.type !== "line", position: horizontal ? "right" : "top" },
        barMaxWidth: 48,
      };
    });
    return base;
  }

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var specs = JSON.parse(source.textContent);
    var drawn = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (element) {
      var spec = specs[element.getAttribute("data-chart")];
      if (!spec) {
        return;
      }
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(option(spec, element));
      element.classList.add("drawn");
      drawn.push({ chart: chart, spec: spec, element: element });
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        drawn.forEach(function (item) {
          item.chart.setOption(option(item.spec, item.element), true);
          item.chart.resize();
        });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
