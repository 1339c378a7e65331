/* Taking a test on a phone that may lose its signal at any moment.
 *
 * Every answer is written to localStorage the moment it is chosen, so a reload, a call
 * or a dead battery loses nothing. Sending is retried until the server acknowledges it;
 * the idempotency key is chosen once per attempt and kept with the answers, so a retry
 * can never be stored twice. Plain ES5, no library: it has to run on old phones. Without
 * JavaScript the form still posts normally. */
(function () {
  "use strict";
  var form = document.getElementById("test");
  if (!form || !window.JSON) return;
  var status = document.getElementById("status");
  var sendButton = document.getElementById("send");
  var timer = document.getElementById("timer");
  var storageKey = form.getAttribute("data-storage");
  var total = parseInt(form.getAttribute("data-total"), 10) || 0;
  var ends = parseInt(form.getAttribute("data-ends"), 10) || 0;
  var ticketInput = form.querySelector("input[name=ticket]");
  var keyInput = form.querySelector("input[name=key]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var fieldsets = form.querySelectorAll("fieldset.q");
  var ids = [];
  for (var i = 0; i < fieldsets.length; i++) ids.push(fieldsets[i].getAttribute("data-q"));
  var canSend = !!(window.fetch && window.Promise);
  var confirmMissing = false, sending = false, retryTimer = null, attempt = 0;

  function load() {
    try { return JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }
  function save() {
    try { localStorage.setItem(storageKey, JSON.stringify(state)); return true; } catch (e) { return false; }
  }

  var state = load();
  if (!state || state.ids !== ids.join(",")) {
    // First visit, or the test changed since: keep whatever answers still apply.
    var previous = (state && state.answers) || {};
    state = { ids: ids.join(","), ticket: ticketInput.value, key: (state && !state.done && state.key) || keyInput.value,
              answers: {}, pending: false, done: false, ends: ends };
    for (var id in previous) if (ids.indexOf(id) >= 0) state.answers[id] = previous[id];
  }
  // The first ticket and key stay for the whole attempt (the time limit counts from it).
  if (!state.ticket) { state.ticket = ticketInput.value; save(); }
  ticketInput.value = state.ticket;
  keyInput.value = state.key;
  if (state.ends) ends = state.ends;
  if (state.done && state.result) { window.location.replace(state.result); return; }

  function answeredCount() {
    var n = 0;
    for (var id in state.answers) if (state.answers[id]) n++;
    return n;
  }
  // Numbers in Thai digits, as everywhere on the page.
  function thai(text) {
    return String(text).replace(/[0-9]/g, function (d) { return "๐๑๒๓๔๕๖๗๘๙".charAt(+d); });
  }
  function say(text, offline) {
    status.textContent = thai(text);
    status.className = "status" + (offline ? " offline" : "");
  }
  function progress(stored) {
    say("ตอบแล้ว " + answeredCount() + " จาก " + total + " ข้อ" + (stored ? " · เก็บไว้ในเครื่องแล้ว" : ""));
  }

  // Restore the answers kept on this phone.
  for (var qid in state.answers) {
    var input = form.querySelector("input[name=a" + qid + "][value='" + state.answers[qid] + "']");
    if (input) input.checked = true;
  }
  progress(answeredCount() > 0);

  form.addEventListener("change", function (event) {
    var t = event.target;
    if (!t || t.type !== "radio" || state.pending) return;
    state.answers[t.name.slice(1)] = t.value;
    var fs = document.getElementById("q" + t.name.slice(1));
    if (fs) fs.className = "q";
    progress(save());
  });

  function missing() {
    var out = [];
    for (var i = 0; i < ids.length; i++) if (!state.answers[ids[i]]) out.push(i + 1);
    return out;
  }

  function lockInputs(locked) {
    var inputs = form.querySelectorAll("input[type=radio]");
    for (var i = 0; i < inputs.length; i++) inputs[i].disabled = locked !== false;
  }
  function unlockInputs() { lockInputs(false); }

  function send() {
    if (sending) return;
    sending = true;
    clearTimeout(retryTimer);
    sendButton.disabled = true;
    sendButton.textContent = "กำลังส่งคำตอบ…";
    say("กำลังส่งคำตอบ…");
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = setTimeout(function () { if (controller) controller.abort(); }, 20000);
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    if (csrf) headers["X-CSRFToken"] = csrf.value;
    fetch(form.getAttribute("data-api"), {
      method: "POST", headers: headers, credentials: "same-origin", signal: controller ? controller.signal : undefined,
      body: JSON.stringify({ ticket: state.ticket, idempotency_key: state.key, answers: state.answers })
    }).then(function (response) {
      clearTimeout(timeout);
      return response.json().then(function (data) { return { status: response.status, data: data }; },
                                   function () { return { status: response.status, data: {} }; });
    }).then(function (r) {
      sending = false;
      if (r.status === 200) {
        state.pending = false; state.done = true; state.result = r.data.result_url;
        save();
        say("ส่งคำตอบสำเร็จ ได้ " + r.data.score + " จาก " + r.data.max_score + " คะแนน");
        window.location.assign(r.data.result_url);
      } else if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
        // Refused for good: say why; the answers stay on the phone. A ticket the server
        // no longer accepts is dropped, so reopening the page fetches a fresh one.
        state.pending = false;
        if (r.status === 400) state.ticket = "";
        save();
        unlockInputs();
        say((r.data && r.data.detail) || "ส่งคำตอบไม่สำเร็จ", true);
        sendButton.textContent = "ส่งคำตอบ";
        sendButton.disabled = false;
      } else {
        retryLater();
      }
    }, function () {
      clearTimeout(timeout);
      sending = false;
      retryLater();
    });
  }

  function retryLater() {
    attempt++;
    var wait = Math.min(15, Math.pow(2, Math.min(attempt, 4)));
    say("ยังส่งไม่สำเร็จ (สัญญาณไม่ดี) คำตอบยังเก็บอยู่ในเครื่อง ระบบจะลองส่งใหม่เองใน " + wait + " วินาที", true);
    retryTimer = setTimeout(send, wait * 1000);
  }

  window.addEventListener("online", function () { if (state.pending && !sending) { attempt = 0; send(); } });

  function start(force) {
    var gaps = missing();
    if (gaps.length && !force && !confirmMissing) {
      confirmMissing = true;
      for (var i = 0; i < gaps.length; i++) fieldsets[gaps[i] - 1].className = "q missing";
      say("ยังไม่ได้ตอบข้อ " + gaps.join(", ") + " กดส่งอีกครั้งถ้าต้องการส่งเลย", true);
      sendButton.textContent = "ส่งคำตอบทั้งที่ยังตอบไม่ครบ";
      var first = fieldsets[gaps[0] - 1];
      if (first && first.scrollIntoView) first.scrollIntoView();
      return;
    }
    state.pending = true;
    save();
    lockInputs();
    send();
  }

  form.addEventListener("submit", function (event) {
    if (!canSend) return; // the browser posts the form itself
    event.preventDefault();
    if (!state.pending) start(false);
  });

  if (state.pending) { lockInputs(); send(); }

  if (timer && ends) {
    timer.hidden = false;
    var tick = function () {
      var left = ends - Math.floor(Date.now() / 1000);
      if (left <= 0) {
        timer.textContent = "หมดเวลาแล้ว ระบบส่งคำตอบให้อัตโนมัติ";
        if (!state.pending && canSend) start(true);
        return;
      }
      var m = Math.floor(left / 60), s = left % 60;
      timer.textContent = thai("เหลือเวลา " + m + ":" + (s < 10 ? "0" : "") + s + " นาที");
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
