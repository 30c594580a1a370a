// The compare page's chooser of any two versions of the definition: shows only the steps
// between them and adds up their changes. Without JavaScript the form stays hidden and
// the table lists every step.
(function () {
  "use strict";
  var form = document.getElementById("chooser");
  if (!form) { return; }
  var from = document.getElementById("from"), to = document.getElementById("to");
  var total = document.getElementById("range-total");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#steps tbody tr"));
  var order = Array.prototype.map.call(from.options, function (o) { return o.value; });
  if (order.length < 2) { return; }
  var severities = ["normative", "substantive", "editorial"];
  function show() {
    var a = order.indexOf(from.value), b = order.indexOf(to.value);
    if (a > b) { var t = a; a = b; b = t; }
    var sums = {normative: 0, substantive: 0, editorial: 0}, steps = 0;
    rows.forEach(function (r) {
      var i = order.indexOf(r.getAttribute("data-to"));
      var inside = r.getAttribute("data-document") === "definition" && i > a && i <= b;
      r.hidden = !inside;
      if (inside) {
        steps += 1;
        severities.forEach(function (s) { sums[s] += Number(r.getAttribute("data-" + s) || 0); });
      }
    });
    var parts = severities.filter(function (s) { return sums[s]; }).map(function (s) { return sums[s] + " " + s; });
    total.textContent = "From " + order[a] + " to " + order[b] + ": " + steps + " step" + (steps === 1 ? "" : "s") +
      (parts.length ? ", " + parts.join(", ") + " (changes of the steps, added up)" : ", no changes") + ".";
  }
  form.hidden = false;
  var q = new URLSearchParams(window.location.search);
  if (order.indexOf(q.get("from")) >= 0) { from.value = q.get("from"); }
  if (order.indexOf(q.get("to")) >= 0) { to.value = q.get("to"); }
  form.addEventListener("submit", function (e) { e.preventDefault(); show(); });
  if (q.get("from") || q.get("to")) { show(); }
}());
