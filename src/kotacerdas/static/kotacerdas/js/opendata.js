// Satu Data's public pages. Charts: each canvas.opendata-chart carries its figures in
// data-chart ({type, labels, values, label}); the table beside it shows the same figures to
// readers without JavaScript. Forms marked data-autosubmit apply a choice as soon as it is
// made (without JavaScript, their button does it).
(function () {
  function draw() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas.opendata-chart").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      canvas.dataset.drawn = "1";
      var d = JSON.parse(canvas.dataset.chart);
      canvas.hidden = false;
      new Chart(canvas, {
        type: d.type,
        data: {labels: d.labels, datasets: [{
          label: d.label, data: d.values, backgroundColor: "#0172ad", borderColor: "#0172ad",
          tension: 0.2
        }]},
        options: {
          responsive: true, animation: false,
          plugins: {legend: {display: false}, title: {display: true, text: d.label}},
          scales: {y: {beginAtZero: d.type === "bar"}}
        }
      });
    });
  }
  function autosubmit() {
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.addEventListener("change", function (event) {
        var target = event.target;
        if (target.tagName === "SELECT" || target.type === "checkbox") {
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(); autosubmit(); });
})();
