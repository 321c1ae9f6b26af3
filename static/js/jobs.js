// The job page: polls its status (JSON) until the job is done or failed, moves the bar, then shows the
// finished page (download link or the reason it failed).
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || box.dataset.finished === "yes") { return; }
  var bar = document.getElementById("job-bar");
  var count = document.getElementById("job-count");
  var badge = document.getElementById("job-status");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 5000); return; }
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        count.textContent = state.total ? state.done + " / " + state.total : String(state.done);
        badge.textContent = state.label;
        if (state.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
