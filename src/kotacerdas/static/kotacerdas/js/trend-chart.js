// The monitoring room's weekly trend as a chart (the table beside it carries the same figures,
// for readers without JavaScript). Drawn again after htmx refreshes the panels.
(function () {
  function draw() {
    document.querySelectorAll("canvas.trend-chart").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      canvas.dataset.drawn = "1";
      var d = JSON.parse(canvas.dataset.chart);
      new Chart(canvas, {type: "bar", data: {labels: d.labels, datasets: [
        {label: d.receivedLabel, data: d.received, backgroundColor: "#0172ad"},
        {label: d.resolvedLabel, data: d.resolved, backgroundColor: "#15803d"}
      ]}, options: {responsive: true, animation: false}});
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
