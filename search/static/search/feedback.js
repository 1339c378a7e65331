/* 👍/👎 under the search results and the comment after 👎, sent without leaving the page: a
 * form with data-swap is posted with fetch (and the header HX-Request, which asks the server
 * for the partial), and the answer replaces the element data-swap names ("self", or a
 * selector for the closest ancestor). A few hundred bytes instead of htmx on a slow phone;
 * without JavaScript, or when the fetch fails, the form posts as usual. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !Element.prototype.closest) return;
  document.addEventListener("submit", function (e) {
    var form = e.target, how = form.getAttribute("data-swap");
    if (!how) return;
    e.preventDefault();
    var data = new FormData(form);
    if (e.submitter && e.submitter.name) data.append(e.submitter.name, e.submitter.value);
    var target = how === "self" ? form : form.closest(how);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      })
      .then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html.trim();
        target.replaceWith(t.content);
      })
      .catch(function () { form.submit(); });
  });
})();
