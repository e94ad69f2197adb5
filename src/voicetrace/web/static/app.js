// voicetrace: selection -> offsets, code panel, queue keys, fetch with the CSRF token. No libraries.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const token = new URLSearchParams(location.search).get("token") || "";
  const live = document.getElementById("live");

  function say(text, bad) {
    if (!live) return;
    live.hidden = false;
    live.textContent = text;
    live.className = "flash " + (bad ? "bad" : "ok");
  }

  async function send(method, url, body) {
    const res = await fetch(url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token), {
      method: method,
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json"},
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error || data.detail || res.statusText);
    return data;
  }
  window.voicetrace = {send: send};

  function typing(ev) {
    const t = ev.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  // ---- the source reader ------------------------------------------------------------------
  const segs = Array.from(document.querySelectorAll("section.seg"));
  if (segs.length) {
    const filter = document.getElementById("code-filter");
    const target = document.getElementById("target");
    let selection = null;   // {seg, start, end} in UTF-16 units within the segment's text
    let current = null;     // the focused passage element

    // UTF-16 length of the text between the container's start and (node, offset)
    function offsetIn(container, node, offset) {
      const r = document.createRange();
      r.selectNodeContents(container);
      r.setEnd(node, offset);
      return r.toString().length;
    }
    function textOf(node) {
      const el = node.nodeType === 1 ? node : node.parentElement;
      return el ? el.closest(".seg-text") : null;
    }
    function describe() {
      if (selection) {
        target.textContent = "Selected " + (selection.end - selection.start) + " characters in passage " +
          selection.seg + ". Choose a code.";
      } else if (current) {
        target.textContent = "Whole passage " + current.dataset.seg + " (no text selected). Choose a code.";
      } else {
        target.textContent = "Select text in a passage, or focus a passage to code all of it.";
      }
    }
    document.addEventListener("selectionchange", () => {
      const sel = window.getSelection();
      if (!sel || sel.rangeCount === 0) return;
      const r = sel.getRangeAt(0);
      if (r.collapsed) {
        if (textOf(r.startContainer)) { selection = null; describe(); }
        return;
      }
      const a = textOf(r.startContainer), b = textOf(r.endContainer);
      if (!a && !b) return;  // a selection elsewhere (e.g. in the filter box) keeps the last one
      const box = a || b;
      const start = a === box ? offsetIn(box, r.startContainer, r.startOffset) : 0;
      const end = b === box ? offsetIn(box, r.endContainer, r.endOffset) : box.textContent.length;
      if (end > start) {
        selection = {seg: box.dataset.seg, start: start, end: end};
        current = box.closest("section.seg");
      }
      describe();
    });
    segs.forEach((s) => s.addEventListener("focus", () => {
      if (!selection || selection.seg !== s.dataset.seg) selection = null;
      current = s;
      describe();
    }));

    async function apply(code) {
      const segId = selection ? selection.seg : (current ? current.dataset.seg : null);
      if (!segId) { say("Select some text or focus a passage first.", true); return; }
      const body = {segment_id: Number(segId), code: code};
      if (selection) { body.start = selection.start; body.end = selection.end; }
      try {
        const c = await send("POST", "/api/codings", body);
        say("Coded “" + c.text.slice(0, 60) + "” as " + c.label + ".");
        location.hash = "seg-" + segId;
        location.reload();
      } catch (e) {
        say(e.message, true);
      }
    }
    document.querySelectorAll(".code-btn").forEach((b) => b.addEventListener("click", () => apply(b.dataset.code)));

    function visibleCodes() {
      return Array.from(document.querySelectorAll(".code-btn")).filter((b) => !b.closest("li").hidden);
    }
    filter.addEventListener("input", () => {
      const q = filter.value.trim().toLowerCase();
      document.querySelectorAll(".code-btn").forEach((b) => {
        b.closest("li").hidden = q !== "" && !(b.textContent.toLowerCase().includes(q) || b.dataset.code.includes(q));
      });
    });
    filter.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        const first = visibleCodes()[0];
        if (first) apply(first.dataset.code);
      } else if (ev.key === "Escape") {
        ev.preventDefault();
        (current || segs[0]).focus();
      }
    });
    document.addEventListener("keydown", (ev) => {
      if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === "j" || ev.key === "k") {
        const i = current ? segs.indexOf(current) : -1;
        const next = segs[Math.max(0, Math.min(segs.length - 1, i + (ev.key === "j" ? 1 : -1)))];
        selection = null;
        next.focus();
        ev.preventDefault();
      } else if (ev.key === "c" || ev.key === "/") {
        ev.preventDefault();
        filter.focus();
        filter.select();
      }
    });
    const m = /^#seg-(\d+)$/.exec(location.hash);
    if (m) {
      const el = document.getElementById("seg-" + m[1]);
      if (el) { el.focus(); el.scrollIntoView({block: "center"}); }
    }
  }

  // ---- the suggestion queue: a / x / space / u -----------------------------------------------
  if (document.body.dataset.page === "queue") {
    document.addEventListener("keydown", (ev) => {
      if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const key = ev.key === " " ? "space" : ev.key.toLowerCase();
      const btn = document.querySelector('button[data-key="' + key + '"]');
      if (btn && !btn.disabled) {
        ev.preventDefault();
        btn.click();
      }
    });
  }
})();
