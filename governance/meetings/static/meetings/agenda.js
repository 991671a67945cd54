// Agenda editor: reorder items by mouse (drag and drop) and by keyboard (Alt+ArrowUp/Down
// on a focused row, or the Up/Down buttons, which also work without JavaScript). Each move
// goes to the server with htmx, which swaps in the renumbered list; focus is kept.
(function () {
  "use strict";
  var focusKey = null;

  function move(row, values, key) {
    if (!window.htmx) { return; }
    var token = document.querySelector("#agenda-items input[name=csrfmiddlewaretoken]");
    values.csrfmiddlewaretoken = token ? token.value : "";
    focusKey = key;
    window.htmx.ajax("POST", row.dataset.moveUrl, {
      target: "#agenda-items", swap: "outerHTML", values: values
    });
  }

  function refocus() {
    if (!focusKey) { return; }
    var target = document.querySelector('[data-focus="' + focusKey + '"]');
    if (!target || target.disabled) {
      target = document.getElementById("item-" + focusKey.split("-").pop());
    }
    if (target) { target.focus(); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#agenda-items button[data-focus]");
    if (button) { focusKey = button.dataset.focus; }
  });
  document.addEventListener("htmx:afterSettle", refocus);

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
    var row = event.target.closest && event.target.closest("#agenda-items li[data-item]");
    if (!row) { return; }
    event.preventDefault();
    var up = event.key === "ArrowUp";
    move(row, { step: up ? "up" : "down" }, "row-" + row.dataset.item);
  });

  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var row = event.target.closest && event.target.closest("#agenda-items li[data-item]");
    if (row) { dragged = row; event.dataTransfer.effectAllowed = "move"; }
  });
  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest("#agenda-items li[data-item]")) { event.preventDefault(); }
  });
  document.addEventListener("drop", function (event) {
    var row = event.target.closest && event.target.closest("#agenda-items li[data-item]");
    if (!dragged || !row || row === dragged) { dragged = null; return; }
    event.preventDefault();
    var rows = Array.prototype.slice.call(document.querySelectorAll("#agenda-items li[data-item]"));
    var place = rows.indexOf(row) + 1;
    var source = dragged;
    dragged = null;
    move(source, { to: String(place) }, "row-" + source.dataset.item);
  });
})();
