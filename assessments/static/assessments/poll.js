/* Pages on a phone that change by themselves (the waiting room, a result waiting for the
 * answers to be revealed): an element with data-poll="URL" and data-every="seconds" asks
 * the server again and again. The server answers with the element's new HTML (which
 * polls on only while it still carries data-poll), or with 204 and an X-Go header naming
 * the page to move to. A few hundred bytes instead of a library, for phones on a weak
 * connection. Without JavaScript the pages refresh through <noscript> instead. */
(function () {
  "use strict";
  if (!window.fetch || !document.querySelector) return;
  function watch(el) {
    var url = el.getAttribute("data-poll"), every = (parseInt(el.getAttribute("data-every"), 10) || 5) * 1000;
    function again() { setTimeout(ask, every); }
    function ask() {
      fetch(url, { headers: { "X-Poll": "1" }, credentials: "same-origin", cache: "no-store" }).then(function (r) {
        var go = r.headers.get("X-Go");
        if (go) { window.location.assign(go); return; }
        if (r.status !== 200) { again(); return; }
        return r.text().then(function (html) {
          var box = document.createElement("div");
          box.innerHTML = html;
          var fresh = box.firstElementChild;
          if (!fresh) { again(); return; }
          el.parentNode.replaceChild(fresh, el);
          if (fresh.getAttribute("data-poll")) watch(fresh);
        });
      }, again);
    }
    again();
  }
  var els = document.querySelectorAll("[data-poll]");
  for (var i = 0; i < els.length; i++) watch(els[i]);
})();
