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
    if (!res.ok) {
      let why = data.error || data.detail || res.statusText || ("HTTP " + res.status);
      if (Array.isArray(why)) why = why.map((d) => (d.loc || []).slice(-1) + ": " + d.msg).join("; ");
      throw new Error(why);
    }
    return data;
  }
  window.voicetrace = {send: send};

  function typing(ev) {
    const t = ev.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  // ---- small things on every page ------------------------------------------------------------
  document.querySelectorAll('[data-action="back"]').forEach((b) => b.addEventListener("click", () => history.back()));
  // a select that should apply at once (the form still has a button for keyboard and no-script use)
  document.querySelectorAll("select[data-autosubmit]").forEach((s) => s.addEventListener("change", () => s.form.submit()));

  const sourceFilter = document.getElementById("source-filter");
  if (sourceFilter) {
    const groups = Array.from(document.querySelectorAll("details.case-group"));
    const count = document.getElementById("source-filter-count");
    const wasOpen = groups.map((g) => g.open);
    sourceFilter.addEventListener("input", () => {
      const q = sourceFilter.value.trim().toLowerCase();
      let shown = 0;
      groups.forEach((g, i) => {
        let here = 0;
        g.querySelectorAll("tbody tr").forEach((tr) => {
          const ok = !q || tr.dataset.filter.includes(q) || g.querySelector(".case-name").textContent.toLowerCase().includes(q);
          tr.hidden = !ok;
          if (ok) here++;
        });
        g.hidden = here === 0;
        g.open = q ? here > 0 : wasOpen[i];
        shown += here;
      });
      count.textContent = q ? shown + " match" + (shown === 1 ? "" : "es") : "";
    });
    const toggle = document.querySelector('[data-action="toggle-cases"]');
    if (toggle) toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-pressed") !== "true";
      groups.forEach((g) => { g.open = open; });
      toggle.setAttribute("aria-pressed", String(open));
      toggle.textContent = open ? "Close all cases" : "Open all cases";
    });
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
        const url = new URL(location.href);
        url.searchParams.set("seg", segId);
        url.searchParams.delete("part");
        url.searchParams.delete("msg");
        url.hash = "seg-" + segId;
        if (url.toString().split("#")[0] === location.href.split("#")[0]) {
          location.hash = "seg-" + segId;
          location.reload();
        } else {
          location.replace(url.toString());
        }
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
    // keyboard selection inside the focused passage, a word at a time
    function words(text) {
      const out = [];
      const re = /\S+/g;
      let m;
      while ((m = re.exec(text))) out.push([m.index, m.index + m[0].length]);
      return out;
    }
    function pointAt(box, pos) {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      let n, seen = 0, last = null;
      while ((n = walker.nextNode())) {
        if (seen + n.length >= pos) return [n, pos - seen];
        seen += n.length;
        last = n;
      }
      return last ? [last, last.length] : [box, 0];
    }
    function selectWords(seg, startWord, endWord) {
      const box = seg.querySelector(".seg-text");
      const ws = words(box.textContent);
      if (!ws.length) return;
      const a = ws[Math.max(0, Math.min(startWord, ws.length - 1))][0];
      const b = ws[Math.max(0, Math.min(endWord, ws.length - 1))][1];
      const r = document.createRange();
      const [sn, so] = pointAt(box, a), [en, eo] = pointAt(box, b);
      r.setStart(sn, so);
      r.setEnd(en, eo);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      seg.dataset.w0 = String(startWord);
      seg.dataset.w1 = String(endWord);
    }
    function stepSelection(seg, key) {
      const box = seg.querySelector(".seg-text");
      const n = words(box.textContent).length;
      const sel = window.getSelection();
      const r = sel && sel.rangeCount ? sel.getRangeAt(0) : null;
      const mine = seg.dataset.w1 !== undefined && r && !r.collapsed && box.contains(r.startContainer);
      let w0 = mine ? Number(seg.dataset.w0) : 0;
      let w1 = mine ? Number(seg.dataset.w1) : -1;
      if (key === "ArrowRight") w1 = Math.min(n - 1, w1 + 1);
      else if (key === "ArrowLeft") w1 = Math.max(w0, w1 - 1);
      else if (key === "]") { w0 = Math.min(w1 < 0 ? n - 1 : w1, w0 + 1); if (w1 < w0) w1 = w0; }
      else if (key === "[") w0 = Math.max(0, w0 - 1);
      if (w1 < w0) w1 = w0;
      selectWords(seg, w0, w1);
      // record it now: selectionchange fires later, perhaps after focus has moved to the code filter
      const ws = words(box.textContent);
      if (ws.length) {
        selection = {seg: seg.dataset.seg, start: utf16Length(box.textContent, ws[w0][0]),
                     end: utf16Length(box.textContent, ws[w1][1])};
        describe();
      }
    }
    function utf16Length(text, upto) { return text.slice(0, upto).length; }

    // a coding's chip shows which stretch of text it covers
    document.querySelectorAll(".chip[data-coding]").forEach((chip) => {
      const marks = () => document.querySelectorAll('mark[data-codings~="' + chip.dataset.coding + '"]');
      const on = () => marks().forEach((m) => m.classList.add("focus-coding"));
      const off = () => marks().forEach((m) => m.classList.remove("focus-coding"));
      chip.addEventListener("mouseenter", on);
      chip.addEventListener("mouseleave", off);
      chip.addEventListener("focusin", on);
      chip.addEventListener("focusout", off);
    });

    document.addEventListener("keydown", (ev) => {
      if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const seg = document.activeElement && document.activeElement.closest ? document.activeElement.closest("section.seg") : null;
      if (seg && ((ev.shiftKey && (ev.key === "ArrowRight" || ev.key === "ArrowLeft")) || ev.key === "[" || ev.key === "]")) {
        ev.preventDefault();
        current = seg;
        stepSelection(seg, ev.key);
        return;
      }
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
