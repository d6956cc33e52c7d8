// Search suggestions for the home page. Data from /api/search becomes text nodes only.
"use strict";
(function () {
  const input = document.getElementById("q");
  const list = document.getElementById("suggestions");
  if (!input || !list) return;
  let timer = 0;
  let latest = 0;

  function item(hit) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "/anime/" + encodeURIComponent(String(Number(hit.mal_id)));
    a.textContent = hit.title;
    a.setAttribute("role", "option");
    li.append(a);
    const meta = [hit.type, hit.year].filter(Boolean).join(" · ");
    const alias = hit.matched_alias !== hit.title ? "“" + hit.matched_alias + "”" : "";
    if (meta || alias) {
      const span = document.createElement("span");
      span.className = "meta";
      span.textContent = [alias, meta].filter(Boolean).join(" · ");
      li.append(span);
    }
    return li;
  }

  async function suggest() {
    const q = input.value.trim().slice(0, 200);
    const mine = ++latest;
    if (q.length < 2) { list.replaceChildren(); return; }
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
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", function (e) {
    const first = list.querySelector("a");
    if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
  });
  list.addEventListener("keydown", function (e) {
    const li = e.target.closest("li");
    if (!li) return;
    const to = e.key === "ArrowDown" ? li.nextElementSibling
      : e.key === "ArrowUp" ? li.previousElementSibling : null;
    if (e.key === "ArrowUp" && !to) { e.preventDefault(); input.focus(); return; }
    if (to) { e.preventDefault(); to.querySelector("a").focus(); }
  });
})();
