/* journeymap editor: drag and drop (SortableJS) of stages, lanes and items, and the side panel.
   Every drop is one edit operation posted with the revision the page was rendered at; the
   server answers with the fresh editor (or a 409 conflict with the latest map). */
(function () {
  "use strict";

  function csrfToken() {
    var headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function post(editor, op, values) {
    var url = editor.dataset.editUrl.replace("/OP/", "/" + op + "/");
    values.revision = document.getElementById("revision").value;
    editor.classList.add("is-saving");
    htmx.ajax("POST", url, {
      target: "#editor",
      swap: "outerHTML",
      values: values,
      headers: { "X-CSRFToken": csrfToken() }
    });
  }

  function sortable(el, options) {
    if (el.dataset.sortableReady) { return; }
    el.dataset.sortableReady = "1";
    Sortable.create(el, Object.assign({ animation: 150, ghostClass: "drag-ghost", forceFallback: true, fallbackTolerance: 3 }, options));
  }

  function init(root) {
    var editor = root.id === "editor" ? root : root.querySelector && root.querySelector("#editor");
    if (!editor || !editor.classList.contains("can-edit") || typeof Sortable === "undefined") {
      return;
    }
    editor.querySelectorAll('[data-sortable="stages"]').forEach(function (el) {
      sortable(el, {
        handle: ".handle",
        onEnd: function (evt) {
          if (evt.oldIndex === evt.newIndex) { return; }
          post(editor, "move_stage", { stage: evt.item.dataset.stage, position: evt.newIndex });
        }
      });
    });
    editor.querySelectorAll('[data-sortable="lanes"]').forEach(function (el) {
      sortable(el, {
        handle: ".lane-head .handle",
        draggable: ".lane",
        onEnd: function (evt) {
          if (evt.oldIndex === evt.newIndex) { return; }
          post(editor, "move_lane", { lane: evt.item.dataset.lane, position: evt.newIndex });
        }
      });
    });
    editor.querySelectorAll('[data-sortable="items"]').forEach(function (el) {
      sortable(el, {
        group: "items",
        draggable: ".item",
        onEnd: function (evt) {
          if (evt.from === evt.to && evt.oldIndex === evt.newIndex) { return; }
          var cell = evt.to.closest(".cell");
          post(editor, "move_item", {
            item: evt.item.dataset.item,
            lane: cell.dataset.lane,
            stage: cell.dataset.stage,
            position: evt.newIndex
          });
        }
      });
    });
  }

  document.addEventListener("click", function (evt) {
    var close = evt.target.closest("[data-close-panel]");
    if (close) {
      var panel = document.getElementById("panel");
      panel.classList.remove("panel-open");
      panel.innerHTML = "";
    }
  });
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape") {
      var panel = document.getElementById("panel");
      if (panel && panel.classList.contains("panel-open")) {
        panel.classList.remove("panel-open");
        panel.innerHTML = "";
      }
    }
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    var panel = document.getElementById("panel");
    if (evt.detail.target && evt.detail.target.id === "panel" && panel) {
      var first = panel.querySelector("textarea, input:not([type=hidden]), select");
      if (first) { first.focus(); }
    }
  });
  document.addEventListener("htmx:load", function (evt) { init(evt.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { init(document.body); });
})();
