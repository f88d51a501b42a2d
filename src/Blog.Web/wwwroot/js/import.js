// An import's page while it runs: asks how far it is every second and a half and moves the bar, then reloads the
// page for the report once the run is over. Without this file the page refreshes itself (a <noscript> refresh).
(function () {
  "use strict";
  var page = document.querySelector("[data-progress-url]");
  var status = document.getElementById("import-status");
  var bar = document.getElementById("import-bar");
  if (!page || !status || !bar || !window.fetch) {
    return;
  }
  var url = page.getAttribute("data-progress-url");
  var failures = 0;

  function show(progress) {
    if (progress.total > 0) {
      bar.max = progress.total;
      bar.value = progress.done;
      bar.textContent = progress.percent + " %";
      status.textContent = progress.status + ": " + progress.percent + " %";
    } else {
      bar.removeAttribute("value");
      status.textContent = progress.status;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (progress) {
        failures = 0;
        if (progress.over) {
          window.location.reload();
          return;
        }
        show(progress);
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        // The blog restarting, or the network: keep asking, more slowly, as the page without script would.
        failures += 1;
        window.setTimeout(poll, Math.min(1500 * (failures + 1), 15000));
      });
  }

  window.setTimeout(poll, 1000);
})();
