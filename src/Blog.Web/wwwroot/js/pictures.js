// Pictures in the post editor: "Add picture…", dragging a picture onto the text or pasting one asks for its
// description, uploads it to the library and puts its Markdown where the cursor was. Without this file the editor
// links to the library's upload form, which shows the Markdown to copy. The text typed is never replaced: the
// Markdown is only ever inserted, and a failed upload leaves everything as it was.
(function () {
  "use strict";
  var body = document.getElementById("Body");
  var tools = document.getElementById("picture-tools");
  var dialog = document.getElementById("picture-dialog");
  var form = body && body.form;
  if (!body || !tools || !dialog || !form || !window.fetch || !window.FormData || typeof dialog.showModal !== "function") {
    return;
  }
  var addButton = document.getElementById("add-picture");
  var status = document.getElementById("picture-status");
  var pictureForm = document.getElementById("picture-form");
  var fileInput = document.getElementById("picture-file");
  var altInput = document.getElementById("picture-alt");
  var decorative = document.getElementById("picture-decorative");
  var error = document.getElementById("picture-error");
  var insertButton = document.getElementById("picture-insert");
  var cancelButton = document.getElementById("picture-cancel");
  var cover = document.getElementById("CoverMediaId");
  var coverPreview = document.getElementById("cover-preview");
  var token = form.querySelector("input[name=__RequestVerificationToken]");
  var uploadUrl = tools.getAttribute("data-upload-url");
  // Where the Markdown goes: the selection when the dialog opened, kept while the person types the description.
  var selection = { start: 0, end: 0 };
  // A dropped or pasted file, which a file input cannot be given in every browser.
  var handedFile = null;
  var uploading = false;

  addButton.hidden = false;
  tools.querySelector(".picture-hint-script").hidden = false;

  function isPicture(file) {
    return file && /^image\/(jpeg|png|webp|gif)$/.test(file.type);
  }

  function showError(message) {
    error.textContent = message;
  }

  function open(file) {
    selection = { start: body.selectionStart, end: body.selectionEnd };
    handedFile = file || null;
    fileInput.value = "";
    fileInput.closest(".field").hidden = !!handedFile;
    altInput.value = "";
    decorative.checked = false;
    showError("");
    dialog.querySelector("h2").textContent = handedFile ? "Add “" + handedFile.name + "”" : "Add a picture";
    dialog.showModal();
    (handedFile ? altInput : fileInput).focus();
  }

  function close() {
    if (!uploading) {
      dialog.close();
      body.focus();
      body.setSelectionRange(selection.start, selection.end);
    }
  }

  // A picture stands as its own paragraph: blank lines around it unless the cursor is already at one.
  function insert(markdown) {
    var text = body.value;
    var start = Math.min(selection.start, text.length);
    var end = Math.min(Math.max(selection.end, start), text.length);
    var before = text.slice(0, start);
    var after = text.slice(end);
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var trail = after === "" ? "\n" : /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    var inserted = lead + markdown + trail;
    body.focus();
    body.setSelectionRange(start, end);
    body.setRangeText(inserted, start, end, "end");
    // The live preview and anything else listening hear about it as if it had been typed.
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function offerAsCover(picture) {
    if (!cover || cover.querySelector("option[value='" + picture.id + "']")) {
      return;
    }
    var smallest = picture.files.filter(function (f) { return f.format !== "webp"; })
      .sort(function (a, b) { return a.width - b.width; })[0];
    var webp = picture.files.filter(function (f) { return f.format === "webp" && smallest && f.width === smallest.width; })[0];
    var option = document.createElement("option");
    option.value = picture.id;
    option.textContent = picture.altText || picture.fileName || "New picture";
    if (smallest) {
      option.setAttribute("data-src", smallest.url);
      option.setAttribute("data-width", smallest.width);
      option.setAttribute("data-height", smallest.height);
    }
    if (webp) {
      option.setAttribute("data-webp", webp.url);
    }
    cover.insertBefore(option, cover.options[1] || null);
  }

  function showCover() {
    var option = cover.options[cover.selectedIndex];
    coverPreview.textContent = "";
    if (!option || !option.value || !option.getAttribute("data-src")) {
      return;
    }
    var picture = document.createElement("picture");
    if (option.getAttribute("data-webp")) {
      var source = document.createElement("source");
      source.type = "image/webp";
      source.srcset = option.getAttribute("data-webp");
      picture.appendChild(source);
    }
    var img = document.createElement("img");
    img.src = option.getAttribute("data-src");
    img.alt = "The chosen cover";
    img.width = Number(option.getAttribute("data-width"));
    img.height = Number(option.getAttribute("data-height"));
    picture.appendChild(img);
    coverPreview.appendChild(picture);
  }

  function upload(event) {
    event.preventDefault();
    if (uploading) {
      return;
    }
    var file = handedFile || (fileInput.files && fileInput.files[0]);
    var alt = altInput.value.trim();
    if (!file) {
      showError("Choose a picture to upload.");
      fileInput.focus();
      return;
    }
    if (!alt && !decorative.checked) {
      showError("Describe the picture for people who cannot see it, or tick “decorative”.");
      altInput.focus();
      return;
    }
    var data = new FormData();
    data.append("file", file, file.name || "pasted-picture");
    data.append("altText", alt);
    if (decorative.checked) {
      data.append("decorative", "true");
    }
    if (token) {
      data.append("__RequestVerificationToken", token.value);
    }
    uploading = true;
    insertButton.disabled = true;
    showError("");
    status.textContent = "Uploading " + (file.name || "the picture") + "…";
    fetch(uploadUrl, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return { error: "The blog answered " + response.status + ". Try again." }; })
          .then(function (answer) { return { ok: response.ok, answer: answer }; });
      })
      .then(function (result) {
        uploading = false;
        insertButton.disabled = false;
        if (!result.ok || !result.answer.markdown) {
          status.textContent = "";
          showError(result.answer.error || "The picture could not be added. Try again.");
          return;
        }
        dialog.close();
        insert(result.answer.markdown);
        offerAsCover(result.answer);
        status.textContent = "Picture added.";
      })
      .catch(function () {
        uploading = false;
        insertButton.disabled = false;
        status.textContent = "";
        showError("The upload did not reach the blog. Check the connection and try again; your text is untouched.");
      });
  }

  function firstPicture(files) {
    for (var i = 0; files && i < files.length; i++) {
      if (isPicture(files[i])) {
        return files[i];
      }
    }
    return null;
  }

  addButton.addEventListener("click", function () { open(null); });
  cancelButton.addEventListener("click", close);
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    close();
  });
  pictureForm.addEventListener("submit", upload);

  body.addEventListener("dragover", function (event) {
    if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  });
  body.addEventListener("drop", function (event) {
    var file = event.dataTransfer && firstPicture(event.dataTransfer.files);
    if (event.dataTransfer && event.dataTransfer.files.length > 0) {
      event.preventDefault();
      if (file) {
        open(file);
      } else {
        status.textContent = "Only JPEG, PNG, WebP or GIF pictures can be added.";
      }
    }
  });
  body.addEventListener("paste", function (event) {
    var file = event.clipboardData && firstPicture(event.clipboardData.files);
    if (file) {
      event.preventDefault();
      open(file);
    }
  });
  if (cover && coverPreview) {
    cover.addEventListener("change", showCover);
  }
})();
