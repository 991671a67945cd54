// Agenda editor: reorder items by mouse (drag and drop) and by keyboard (Alt+ArrowUp/Down
// on a focused row, or the Up/Down buttons, which also work without JavaScript). The new
// order goes to the server with htmx, which swaps in the renumbered list.
(function () {
  "use strict";
  function list() { return document.getElementById("agenda-items"); }

  function send(order, focusKey) {
    var el = list();
    if (!el || !window.htmx) { return; }
    var token = document.querySelector("#agenda-items input[name=csrfmiddlewaretoken]");
    window.htmx.ajax("POST", el.dataset.reorderUrl, {
      target: "#agenda-items", swap: "outerHTML",
      values: { order: order.join(","), csrfmiddlewaretoken: token ? token.value : "" }
    }).then(function () { refocus(focusKey); });
  }

  function currentOrder() {
    return Array.prototype.map.call(list().querySelectorAll("li[data-item]"),
      function (li) { return li.dataset.item; });
  }

  function refocus(key) {
    if (!key) { return; }
    var target = document.querySelector('[data-focus="' + key + '"]');
    if (target && !target.disabled) { target.focus(); return; }
    var row = document.getElementById("item-" + key.split("-").pop());
    if (row) { row.setAttribute("tabindex", "-1"); row.focus(); }
  }

  var lastFocus = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("#agenda-items button[data-focus]");
    if (button) { lastFocus = button.dataset.focus; }
  });
  document.addEventListener("htmx:afterSwap", function () { refocus(lastFocus); });

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
    var row = event.target.closest && event.target.closest("#agenda-items li[data-item]");
    if (!row) { return; }
    event.preventDefault();
    var order = currentOrder();
    var index = order.indexOf(row.dataset.item);
    var to = event.key === "ArrowUp" ? index - 1 : index + 1;
    if (to < 0 || to >= order.length) { return; }
    order.splice(to, 0, order.splice(index, 1)[0]);
    send(order, (event.key === "ArrowUp" ? "up-" : "down-") + row.dataset.item);
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
    var order = currentOrder();
    var from = order.indexOf(dragged.dataset.item);
    var to = order.indexOf(row.dataset.item);
    order.splice(to, 0, order.splice(from, 1)[0]);
    dragged = null;
    send(order, null);
  });
})();
