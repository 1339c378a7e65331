/* The result page: answers kept on the phone (take.js) are no longer needed once the
 * server has acknowledged them. */
(function () {
  "use strict";
  try {
    Object.keys(localStorage).forEach(function (k) {
      if (k.indexOf("vkm:") === 0 && (JSON.parse(localStorage.getItem(k) || "{}") || {}).done) localStorage.removeItem(k);
    });
  } catch (e) {}
})();
