// The search box as an ARIA combobox (WAI-ARIA 1.2 "list autocomplete" pattern): typing
// shows suggestions from /api/search; ArrowDown/ArrowUp move through them, Enter opens the
// one selected (else searches), Escape closes the list. Focus stays in the input; the
// selected option is announced through aria-activedescendant. Data from the API becomes
// text nodes only.
"use strict";
(function () {
  const input = document.getElementById("q");
  const list = document.getElementById("suggestions");
  const status = document.getElementById("suggest-status");
  if (!input || !list) return;
  let timer = 0;
  let latest = 0;
  let active = -1;

  function options() { return Array.from(list.querySelectorAll("[role=option]")); }

  function open(show) {
    list.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
    if (!show) select(-1);
  }

  function select(i) {
    const opts = options();
    active = i;
    opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
    if (i >= 0 && opts[i]) {
      input.setAttribute("aria-activedescendant", opts[i].id);
      opts[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(opt) { window.location.assign(opt.dataset.href); }

  function item(hit, i) {
    const li = document.createElement("li");
    li.id = "suggestion-" + i;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.dataset.href = "/anime/" + encodeURIComponent(String(Number(hit.mal_id)));
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = hit.title;
    li.append(name);
    const meta = [hit.type, hit.year].filter(Boolean).join(" · ");
    const alias = hit.matched_alias !== hit.title ? "“" + hit.matched_alias + "”" : "";
    if (meta || alias) {
      const span = document.createElement("span");
      span.className = "meta";
      span.textContent = [alias, meta].filter(Boolean).join(" · ");
      li.append(span);
    }
    li.addEventListener("mousedown", function (e) { e.preventDefault(); });
    li.addEventListener("click", function () { go(li); });
    return li;
  }

  async function suggest() {
    const q = input.value.trim().slice(0, 200);
    const mine = ++latest;
    if (q.length < 2) { list.replaceChildren(); open(false); return; }
    let data;
    try {
      const r = await fetch("/api/search?limit=8&q=" + encodeURIComponent(q));
      if (!r.ok) return;
      data = await r.json();
    } catch (e) {
      return;
    }
    if (mine !== latest) return;  // a newer query is on its way
    list.replaceChildren(...data.hits.map(item));
    open(data.hits.length > 0);
    if (status) {
      const n = data.hits.length;
      status.textContent = n ? n + (n === 1 ? " suggestion" : " suggestions")
        + ": use the up and down arrows to choose" : "no suggestions";
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", function (e) {
    const opts = options();
    if (e.key === "ArrowDown") {
      if (!opts.length) return;
      e.preventDefault();
      open(true);
      select(active + 1 >= opts.length ? 0 : active + 1);
    } else if (e.key === "ArrowUp") {
      if (!opts.length) return;
      e.preventDefault();
      open(true);
      select(active <= 0 ? opts.length - 1 : active - 1);
    } else if (e.key === "Enter" && active >= 0 && opts[active] && !list.hidden) {
      e.preventDefault();
      go(opts[active]);
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); open(false); }
    }
  });
  input.addEventListener("blur", function () { open(false); });
})();
