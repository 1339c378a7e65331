/* Titles suggested under the search box as one types (search/_suggestions.html from the
 * address in data-suggest, into the element the box names in aria-controls): a few hundred
 * bytes, so the home page needs no htmx on a slow phone. Without JavaScript the form posts. */
(function () {
  "use strict";
  var box = document.querySelector("input[data-suggest]");
  if (!box || !window.fetch) return;
  var list = document.getElementById(box.getAttribute("aria-controls"));
  var timer, asked = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = box.value;
      if (q === asked) return;
      asked = q;
      fetch(box.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (q === asked) list.innerHTML = html; }, function () {});
    }, 300);
  });
})();
