// The share buttons work without JavaScript (links, a selectable address, the QR code in
// <details>); with it, a button copies the address and, where the phone offers it, one
// opens the phone's own share sheet.
(function () {
  "use strict";
  var status = document.querySelector(".share-status");

  function say(text) {
    if (status) status.textContent = text;
  }

  document.querySelectorAll(".share-copy-button").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { say("คัดลอกลิงก์แล้ว วางในแชตหรือโพสต์ได้เลย"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          input.select();
          say("เลือกลิงก์ไว้แล้ว กดค้างแล้วเลือก “คัดลอก”");
        });
      } else {
        input.select();
        try {
          document.execCommand("copy");
          done();
        } catch (e) {
          say("เลือกลิงก์ไว้แล้ว กดค้างแล้วเลือก “คัดลอก”");
        }
      }
    });
  });

  if (navigator.share) {
    document.querySelectorAll(".share-native").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {});
      });
    });
  }
})();
