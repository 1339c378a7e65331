// Signage: show one card at a time and advance every `seconds`; every `refresh` seconds
// fetch this same page again and take its cards and today's figures. When the server
// cannot be reached the cards already here keep turning, and a note says so.
(function () {
  "use strict";
  var root = document.querySelector("[data-signage]");
  if (!root) return;
  var seconds = Number(root.dataset.seconds) || 20;
  var refresh = Number(root.dataset.refresh) || 300;
  var index = Number(root.dataset.current) || 0;
  var lastGood = new Date();
  var fetching = false;
  var FETCH_TIMEOUT = 20000;

  function thaiDigits(text) {
    return String(text).replace(/[0-9]/g, function (d) { return String.fromCharCode(0x0e50 + Number(d)); });
  }

  function slides() {
    return document.querySelectorAll("#deck .slide");
  }

  function show(next) {
    var list = slides();
    if (!list.length) return;
    index = ((next % list.length) + list.length) % list.length;
    list.forEach(function (slide, n) { slide.classList.toggle("current", n === index); });
    document.getElementById("signage-count").textContent = thaiDigits((index + 1) + " / " + list.length);
  }

  function replace(id, doc) {
    var fresh = doc.getElementById(id);
    var here = document.getElementById(id);
    if (fresh && here) here.replaceWith(document.importNode(fresh, true));
  }

  function take(doc) {
    var fresh = doc.getElementById("deck");
    if (!fresh || !fresh.querySelector(".slide")) throw new Error("no cards in the fetched page");
    var shown = slides()[index];
    var key = shown ? shown.dataset.key : null;
    replace("deck", doc);
    replace("signage-date", doc);
    replace("signage-today", doc);
    var list = slides();
    var found = Array.prototype.findIndex.call(list, function (s) { return s.dataset.key === key; });
    show(found >= 0 ? found : index);
  }

  function status(online) {
    var note = document.getElementById("signage-offline");
    if (online) {
      lastGood = new Date();
      note.hidden = true;
      return;
    }
    var time = lastGood.toLocaleTimeString("th-TH", { timeZone: "Asia/Bangkok", hour: "2-digit", minute: "2-digit" });
    note.textContent = thaiDigits("ขาดการเชื่อมต่อ แสดงข้อมูลล่าสุดเมื่อ " + time + " น.");
    note.hidden = false;
  }

  function reload() {
    if (fetching) return;
    fetching = true;
    var controller = new AbortController();
    // a server just started may take seconds to answer; a fetch still running skips the next turn
    var timer = setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT);
    fetch(window.location.href, { cache: "no-store", credentials: "omit", signal: controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        take(new DOMParser().parseFromString(html, "text/html"));
        status(true);
      })
      .catch(function () { status(false); })
      .finally(function () {
        clearTimeout(timer);
        fetching = false;
      });
  }

  show(index);
  setInterval(function () { show(index + 1); }, seconds * 1000);
  setInterval(reload, refresh * 1000);
})();
