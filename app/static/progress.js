// Polls a job's status and reloads the page when the job is finished (no inline scripts: CSP).
(function () {
  var box = document.querySelector("[data-poll]");
  if (!box) { return; }
  var url = box.getAttribute("data-poll");
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-percent]");
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("status " + r.status); }
      return r.json();
    }).then(function (job) {
      if (bar) { bar.value = job.percent; }
      if (label) { label.textContent = job.percent; }
      if (job.status !== "queued" && job.status !== "running") { window.location.reload(); }
      else { window.setTimeout(poll, 1500); }
    }).catch(function () { window.setTimeout(function () { window.location.reload(); }, 10000); });
  }
  window.setTimeout(poll, 1000);
})();
