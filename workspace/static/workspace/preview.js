// The item editor's live preview: as the editor types, the server renders the Markdown as the
// public page will (sanitised, glossary linked) and it is shown beside the text. Without
// JavaScript the "ดูตัวอย่าง" button does the same by reloading the page.
(function () {
  "use strict";
  var box = document.getElementById("preview");
  var source = document.querySelector("textarea[data-preview]");
  if (!box || !source) { return; }
  var form = source.form;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  var sent = 0;
  function refresh() {
    var mine = ++sent;
    var data = new FormData();
    data.append("body", source.value);
    fetch(box.dataset.previewUrl, {method: "POST", body: data, credentials: "same-origin",
      headers: {"X-CSRFToken": token}})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (mine === sent) { box.innerHTML = html; } })
      .catch(function () { /* the preview button still works */ });
  }
  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
