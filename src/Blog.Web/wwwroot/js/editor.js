// Live preview for the post editor. Without this file the Preview button re-renders the page; with it,
// the preview follows the typing. The server renders and sanitizes, exactly as saving would.
(function () {
  "use strict";
  var body = document.getElementById("Body");
  var preview = document.getElementById("preview");
  var form = body && body.form;
  if (!body || !preview || !form || !window.fetch) {
    return;
  }
  var title = document.getElementById("Title");
  var subtitle = document.getElementById("Subtitle");
  var previewTitle = document.getElementById("preview-title");
  var previewSubtitle = document.getElementById("preview-subtitle");
  var previewBody = document.getElementById("preview-body");
  var token = form.querySelector("input[name=__RequestVerificationToken]");
  var timer = null;
  var latest = 0;

  function showHeadings() {
    previewTitle.textContent = title.value;
    previewSubtitle.textContent = subtitle.value;
    previewSubtitle.hidden = subtitle.value.trim() === "";
  }

  function refresh() {
    var request = ++latest;
    var data = new FormData();
    data.append("body", body.value);
    if (token) {
      data.append("__RequestVerificationToken", token.value);
    }
    fetch(body.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) { return { ok: response.ok, text: text }; });
      })
      .then(function (result) {
        if (request !== latest) {
          return;
        }
        showHeadings();
        if (result.ok) {
          // The server's answer is sanitized HTML, the same the post page will show.
          previewBody.innerHTML = result.text;
        } else {
          previewBody.textContent = result.text;
        }
        preview.hidden = false;
      })
      .catch(function () { /* keep the last preview; the Preview button still works */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  }

  body.addEventListener("input", schedule);
  title.addEventListener("input", showHeadings);
  subtitle.addEventListener("input", showHeadings);
  refresh();
})();
