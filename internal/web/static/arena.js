// Arena: a little progressive enhancement. The need form works without
// this: its "Föreslå CPV-koder" button asks the server. With it, CPV codes
// are suggested while the user writes, in the same place, without moving
// focus; ticked codes stay ticked.
(function () {
  "use strict";
  var form = document.getElementById("need-form");
  var box = document.getElementById("cpv-suggestions");
  if (!form || !box || !window.fetch || !window.JSON) {
    return;
  }
  var title = document.getElementById("title");
  var description = document.getElementById("description");
  var csrf = form.querySelector('input[name="csrf"]');
  var org = form.querySelector('[name="org_id"]');
  var timer = null;
  var last = "";
  var seq = 0;

  function text() {
    return (title ? title.value : "") + "\n" + (description ? description.value : "");
  }

  function ticked() {
    var out = [];
    var boxes = box.querySelectorAll('input[name="cpv_pick"]');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) {
        out.push({ code: boxes[i].value, label: boxes[i].getAttribute("data-label") || "" });
      }
    }
    return out;
  }

  function el(tag, attrs, content) {
    var e = document.createElement(tag);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) {
        e.setAttribute(k, attrs[k]);
      }
    }
    if (content) {
      e.textContent = content;
    }
    return e;
  }

  function render(suggestions) {
    var keep = ticked();
    var seen = {};
    var items = [];
    keep.forEach(function (k) {
      seen[k.code] = true;
      items.push({ code: k.code, label: k.label, checked: true });
    });
    suggestions.forEach(function (s) {
      var code = s.code_with_check_digit || s.code;
      if (!seen[code]) {
        seen[code] = true;
        items.push({ code: code, label: box.getAttribute("data-lang") === "en" ? (s.label_en || s.label_sv) : s.label_sv, why: s.why, checked: false });
      }
    });
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    if (!items.length) {
      box.appendChild(el("p", { "class": "meta" }, box.getAttribute("data-none")));
      return;
    }
    var fs = el("fieldset", {});
    fs.appendChild(el("legend", {}, box.getAttribute("data-legend")));
    fs.appendChild(el("p", { "class": "hint", id: "cpv-pick-hint" }, box.getAttribute("data-hint")));
    items.forEach(function (it, i) {
      var row = el("div", { "class": "checkbox" });
      var input = el("input", { type: "checkbox", name: "cpv_pick", value: it.code, id: "cpv-pick-" + i, "aria-describedby": "cpv-pick-hint", "data-label": it.label || "" });
      input.checked = it.checked;
      var label = el("label", { "for": "cpv-pick-" + i });
      label.appendChild(el("span", { "class": "code" }, it.code));
      label.appendChild(document.createTextNode(" " + (it.label || "")));
      if (it.why) {
        label.appendChild(document.createTextNode(" "));
        label.appendChild(el("span", { "class": "meta" }, "(" + it.why + ")"));
      }
      row.appendChild(input);
      row.appendChild(label);
      fs.appendChild(row);
    });
    box.appendChild(fs);
    var status = document.getElementById("cpv-status");
    if (status) {
      status.textContent = (status.getAttribute("data-count") || "%d").replace("%d", String(items.length));
    }
  }

  function suggest() {
    var t = text();
    if (t.replace(/\s+/g, "").length < 12 || t === last) {
      return;
    }
    last = t;
    var mine = ++seq;
    fetch("/api/v1/cpv/suggest", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" },
      body: JSON.stringify({ title: title ? title.value : "", description: description ? description.value : "", org_id: org ? parseInt(org.value, 10) || 0 : 0, limit: 8 })
    }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (data) {
      if (data && mine === seq && data.suggestions) {
        render(data.suggestions);
      }
    }).catch(function () { /* the button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(suggest, 800);
  }

  if (title) {
    title.addEventListener("input", later);
  }
  if (description) {
    description.addEventListener("input", later);
  }
})();

// An import's page while it runs: without this the page has a link to
// see how far it has come; with it the page does so itself every few
// seconds until the run has ended.
(function () {
  "use strict";
  var running = document.querySelector("[data-reload]");
  if (!running) {
    return;
  }
  var ms = parseInt(running.getAttribute("data-reload"), 10) || 2000;
  window.setTimeout(function () {
    window.location.reload();
  }, ms);
})();
