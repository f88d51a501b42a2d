// Autosave for the editor. A saved post's text is posted to its autosave address two seconds after typing stops,
// at least every eight seconds while typing goes on, and when the page is hidden; the server keeps it aside and
// never changes or publishes the post. A new post has no address until its first save, so its text is kept in
// this browser (localStorage) until then and offered back if the page is opened again.
(function () {
  "use strict";
  var form = document.querySelector("form.editor-form");
  if (!form || !window.fetch) {
    return;
  }
  var names = ["Title", "Subtitle", "Labels", "Body"];
  var status = document.getElementById("autosave-status");
  var url = form.getAttribute("data-autosave-url");
  var localKey = form.getAttribute("data-local-draft");
  var quietDelay = 2000;
  var longestWait = 8000;
  var timer = null;
  var firstUnsaved = 0;
  var dirty = false;
  var submitting = false;

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  var clearKey = form.getAttribute("data-clear-local-draft");
  if (clearKey && storage()) {
    storage().removeItem(clearKey);
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function clock() {
    return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function payload() {
    var data = new URLSearchParams();
    names.concat(["Version", "__RequestVerificationToken"]).forEach(function (name) {
      var input = field(name);
      if (input) {
        data.append(name, input.value);
      }
    });
    return data;
  }

  function saveToServer(leaving) {
    var data = payload();
    var body = data.toString();
    var token = field("__RequestVerificationToken");
    dirty = false;
    firstUnsaved = 0;
    return fetch(url, {
      method: "POST",
      body: body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", "RequestVerificationToken": token ? token.value : "" },
      credentials: "same-origin",
      // A request that outlives the page must be small; a longer text is still sent, and usually arrives.
      keepalive: leaving && body.length < 60000
    }).then(function (response) {
      if (response.ok) {
        say("Autosaved at " + clock() + ". Not published: save to keep it.");
        return;
      }
      dirty = true;
      return response.text().then(function (message) {
        say("Not autosaved: " + message);
      });
    }, function () {
      dirty = true;
      say("Not autosaved (no connection). Your text is still here; try saving.");
    });
  }

  function saveLocally() {
    var store = storage();
    if (!store) {
      return;
    }
    var draft = { savedAt: new Date().toISOString() };
    names.forEach(function (name) { draft[name] = field(name).value; });
    try {
      store.setItem(localKey, JSON.stringify(draft));
      dirty = false;
      firstUnsaved = 0;
      say("Kept in this browser at " + clock() + ".");
    } catch (e) {
      say("This browser could not keep the text (its storage is full). Save a draft to keep it.");
    }
  }

  function save(leaving) {
    window.clearTimeout(timer);
    if (!dirty || submitting) {
      return;
    }
    if (url) {
      saveToServer(leaving);
    } else if (localKey) {
      saveLocally();
    }
  }

  function changed() {
    dirty = true;
    firstUnsaved = firstUnsaved || Date.now();
    window.clearTimeout(timer);
    var wait = Math.max(0, Math.min(quietDelay, firstUnsaved + longestWait - Date.now()));
    timer = window.setTimeout(function () { save(false); }, wait);
  }

  function offerLocalDraft() {
    var store = storage();
    var saved = store && store.getItem(localKey);
    var draft = null;
    try {
      draft = saved ? JSON.parse(saved) : null;
    } catch (e) {
      draft = null;
    }
    var empty = names.every(function (name) { return field(name).value.trim() === ""; });
    if (!draft || !empty) {
      return;
    }
    var offer = document.createElement("section");
    offer.className = "notice autosave-offer";
    offer.setAttribute("aria-label", "Text kept in this browser");
    var text = document.createElement("p");
    text.textContent = "This browser kept text you had not saved yet (" + new Date(draft.savedAt).toLocaleString() + ": “" + (draft.Title || "untitled") + "”).";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = "Restore it";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button-secondary";
    discard.textContent = "Discard it";
    var row = document.createElement("div");
    row.className = "button-row";
    row.appendChild(restore);
    row.appendChild(discard);
    offer.appendChild(text);
    offer.appendChild(row);
    form.parentNode.insertBefore(offer, form);
    restore.addEventListener("click", function () {
      names.forEach(function (name) {
        field(name).value = draft[name] || "";
        field(name).dispatchEvent(new Event("input", { bubbles: true }));
      });
      offer.remove();
      field("Title").focus();
    });
    discard.addEventListener("click", function () {
      store.removeItem(localKey);
      offer.remove();
      field("Title").focus();
    });
  }

  if (!url && !(localKey && storage())) {
    return;
  }
  if (localKey) {
    var hint = document.getElementById("local-draft-hint");
    if (hint) {
      hint.hidden = false;
    }
    offerLocalDraft();
  }
  names.forEach(function (name) {
    var input = field(name);
    if (input) {
      input.addEventListener("input", changed);
    }
  });
  form.addEventListener("submit", function () {
    // The save deletes the autosave; one arriving after it would only bring the same text back as "unsaved".
    submitting = true;
    window.clearTimeout(timer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save(true);
    }
  });
  window.addEventListener("pagehide", function () { save(true); });
})();
