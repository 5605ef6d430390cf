// Staff pages: keep the session alive while someone works on the page, warn before it ends.
// The server ends a staff session after STAFF_IDLE_MINUTES without a request; typing a long
// paper form makes no request, so without this the clerk would be logged out and lose the
// form. Activity (keys, clicks) is reported at most every `ping` seconds; with no activity, a
// warning with a button to stay logged in appears `warn` seconds before the end (WCAG 2.2.1).
(function () {
  "use strict";
  var script = document.getElementById("keepalive-script");
  var box = document.getElementById("session-warning");
  if (!script || !box) { return; }
  var url = script.getAttribute("data-url");
  var idle = Number(script.getAttribute("data-idle-seconds"));
  var ping = Number(script.getAttribute("data-ping-seconds"));
  var warn = Math.min(Number(script.getAttribute("data-warn-seconds")), idle / 2);
  var lastContact = Date.now(), ended = false, pending = false;
  var soon = document.getElementById("session-warning-soon");
  var gone = document.getElementById("session-warning-ended");

  function show(which) {
    soon.hidden = which !== soon; gone.hidden = which !== gone; box.hidden = which === null;
  }

  function contact() {
    if (pending) { return; }
    pending = true;
    fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (reply) {
      return reply.ok ? reply.json() : null;
    }).then(function (state) {
      pending = false;
      if (state && state.alive) { lastContact = Date.now(); show(null); }
      if (state && !state.alive) { ended = true; show(gone); }
    }, function () { pending = false; /* offline a moment: the next activity tries again */ });
  }

  function activity() {
    if (!ended && Date.now() - lastContact >= ping * 1000) { contact(); }
  }

  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, activity, { capture: true, passive: true });
  });
  document.getElementById("session-stay").addEventListener("click", function () { contact(); });
  window.setInterval(function () {
    if (ended) { return; }
    var left = idle - (Date.now() - lastContact) / 1000;
    if (left <= 0) { contact(); } else if (left <= warn) { show(soon); }
  }, 1000);
}());
