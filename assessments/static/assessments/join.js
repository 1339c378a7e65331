/* The join page: the phone keeps one random device token in localStorage, so the
 * post-test finds the same person again even when the cookie is gone. */
(function () {
  "use strict";
  try {
    var d = localStorage.getItem("vkm-device"), f = document.querySelector("input[name=device]");
    if (!d && f) { d = f.value; localStorage.setItem("vkm-device", d); }
    if (d && f) { f.value = d; }
  } catch (e) {}
})();
