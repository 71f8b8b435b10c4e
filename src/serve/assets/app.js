// podium's page script. The page works without it (a form GET rendered on the server); with it,
// results follow the query as you type. It fetches the server's own markup for the results
// region (/results?...), so nothing is rendered twice, and keeps the whole state in the URL.
"use strict";

(function () {
  const form = document.getElementById("search");
  const q = document.getElementById("q");
  if (!form || !q) return;
  document.documentElement.classList.add("js");
  let pending = null; // the AbortController of the request in flight
  let timer = 0;

  // The form's state as a query string, without empty fields; `page` starts again at 1.
  function formQuery() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) {
      if (typeof v === "string" && v.trim() !== "") params.append(k, v);
    }
    return params.toString();
  }

  // Shows the view at `search` (a query string with its "?"), replacing the results region.
  async function load(search, push) {
    if (pending) pending.abort();
    const controller = new AbortController();
    pending = controller;
    document.body.classList.add("loading");
    try {
      const response = await fetch("/results" + search, { signal: controller.signal });
      const html = await response.text();
      if (controller.signal.aborted) return;
      const region = document.getElementById("region");
      const doc = new DOMParser().parseFromString(html, "text/html");
      const fresh = doc.getElementById("region");
      if (!region || !fresh) return;
      region.replaceWith(fresh);
      document.title = fresh.dataset.title || "podium";
      if (push) history.pushState(null, "", "/" + search);
      setupRegion();
    } catch (e) {
      if (e.name !== "AbortError") throw e;
    } finally {
      if (pending === controller) {
        pending = null;
        document.body.classList.remove("loading");
      }
    }
  }

  function update() {
    const s = formQuery();
    const search = s ? "?" + s : "";
    if (search === location.search) return;
    load(search, true);
  }

  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    update();
  });
  // Ticking a speaker, choosing a language or a role, typing a date: results follow.
  form.addEventListener("change", function (e) {
    if (e.target === q || e.target.id === "speaker-filter") return;
    clearTimeout(timer);
    update();
  });
  // Links within the page (tabs, pages, years, periods) load in place.
  document.addEventListener("click", function (e) {
    const a = e.target.closest ? e.target.closest("a[href^='/?']") : null;
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    if (a.closest("svg.histogram") && dragged) {
      e.preventDefault();
      return;
    }
    e.preventDefault();
    load(a.getAttribute("href").slice(1), true);
  });
  window.addEventListener("popstate", function () {
    const params = new URLSearchParams(location.search);
    q.value = params.get("q") || "";
    load(location.search, false);
  });
  // "/" focuses the query box, as on many search pages.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    e.preventDefault();
    q.focus();
    q.select();
  });

  // The filter box over a long speaker list.
  document.addEventListener("input", function (e) {
    if (e.target.id !== "speaker-filter") return;
    const needle = e.target.value.trim().toLowerCase();
    for (const li of document.querySelectorAll(".speaker-list li")) {
      const name = li.querySelector(".name").textContent.toLowerCase();
      li.hidden = needle !== "" && !name.includes(needle);
    }
  });

  // Dragging over the year histogram picks a range; a click picks one year (its link).
  let dragStart = null;
  let dragged = false;
  function yearAt(e) {
    const el = document.elementFromPoint(e.clientX, e.clientY);
    const a = el && el.closest ? el.closest("a.year") : null;
    return a ? Number(a.dataset.year) : null;
  }
  function markRange(a, b) {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    for (const bar of document.querySelectorAll("svg.histogram a.year")) {
      const y = Number(bar.dataset.year);
      bar.classList.toggle("dragging", y >= lo && y <= hi);
    }
  }
  document.addEventListener("pointerdown", function (e) {
    const y = yearAt(e);
    if (y === null) return;
    dragStart = y;
    dragged = false;
    e.preventDefault();
  });
  document.addEventListener("pointermove", function (e) {
    if (dragStart === null) return;
    const y = yearAt(e);
    if (y !== null && y !== dragStart) dragged = true;
    if (y !== null) markRange(dragStart, y);
  });
  document.addEventListener("pointerup", function (e) {
    if (dragStart === null) return;
    const end = yearAt(e);
    const start = dragStart;
    dragStart = null;
    if (!dragged || end === null) return;
    const from = form.querySelector("input[name=from]");
    const to = form.querySelector("input[name=to]");
    if (!from || !to) return;
    from.value = String(Math.min(start, end));
    to.value = String(Math.max(start, end));
    update();
    setTimeout(function () { dragged = false; }, 0);
  });

  function setupRegion() {
    const target = document.querySelector(".passage.target");
    if (target) target.scrollIntoView({ block: "center" });
  }
  setupRegion();
})();
