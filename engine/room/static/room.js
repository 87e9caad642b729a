/* The drill room's live updates. The pages are whole without this script (a reload shows the
   current state); with it, each event of the drill log arrives as a server-sent event whose id is
   the log's seq, so a reconnect resumes after the last one seen. All text is set with
   textContent: nothing from the drill is ever parsed as HTML here. */
(function () {
  "use strict";
  var body = document.body;
  var stream = body.dataset.stream;
  if (!stream || !window.EventSource) { return; }
  var last = parseInt(body.dataset.seq, 10);
  if (isNaN(last)) { last = -1; }
  var room = window.tabletopRoom = { received: [], gaps: 0 };
  var liveState = document.getElementById("live-state");
  var clock = { t: parseFloat(body.dataset.t) || 0, running: body.dataset.running === "yes",
                ended: body.dataset.ended === "yes", at: Date.now() };

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clockText(seconds) {
    var whole = Math.max(0, Math.floor(seconds));
    return "T+" + Math.floor(whole / 3600) + ":" + pad(Math.floor(whole % 3600 / 60)) + ":" + pad(whole % 60);
  }
  var moduleNext = parseFloat(body.dataset.moduleNext);  // the next module's start by the clock (NaN: none)
  var base = body.dataset.base;
  function leftText(seconds) {  // time left, rounded up: 12:30, 1:02:30
    var whole = Math.max(0, Math.ceil(seconds - 0.001));
    var hours = Math.floor(whole / 3600), rest = whole % 3600;
    return (hours ? hours + ":" + pad(Math.floor(rest / 60)) : Math.floor(rest / 60)) + ":" + pad(rest % 60);
  }
  function drawCountdown(t) {  // the timed decisions counting down (issue 22), from the clock's `due` times
    var list = document.getElementById("countdown-list");
    if (!list) { return; }
    list.querySelectorAll("li[data-due]").forEach(function (item) {
      var left = parseFloat(item.dataset.due) - t;
      item.querySelector(".left").textContent = left > 0 ? leftText(left) : "time is up:";
    });
  }
  function showCountdown(decisions) {
    var section = document.getElementById("countdown");
    var list = document.getElementById("countdown-list");
    if (!section || !list || !decisions) { return; }
    list.replaceChildren.apply(list, decisions.map(function (d) {
      var item = el("li");
      item.dataset.due = d.due;
      item.append(el("span", "question", d.question), " ", el("strong", "left", d.text), " left; then: ",
                  el("span", "default", d["default"]));
      return item;
    }));
    section.hidden = decisions.length === 0;
  }
  function drawClock() {
    var t = clock.t + (clock.running ? (Date.now() - clock.at) / 1000 : 0);
    document.getElementById("clock").textContent = clockText(t);
    document.getElementById("clock-state").textContent = clock.ended ? "ended" : (clock.running ? "running" : "paused");
    drawCountdown(t);
    if (base && !isNaN(moduleNext) && t >= moduleNext) { moduleNext = NaN; refreshModule(); }
  }
  function refreshModule() {  // the module changes at its time even when no event comes
    fetch(base + "/module", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (!data) { return; }
      if (data.module) { showModule(data.module); }
      moduleNext = data.next_t === null ? NaN : data.next_t;
    }).catch(function () {});
  }
  setInterval(drawClock, 500);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function injectNodes(inject) {
    var meta = el("p", "meta");
    meta.appendChild(el("span", "at", inject.at));
    if (inject.to) { meta.appendChild(document.createTextNode(" · to ")); meta.appendChild(el("span", "to", inject.to)); }
    var role = document.body.getAttribute("data-role");
    if (role && inject.to && inject.to.split(",").map(function (s) { return s.trim(); }).indexOf(role) >= 0) {
      meta.appendChild(document.createTextNode(" · ")); meta.appendChild(el("strong", "for-you", "for you"));
    }
    if (inject.early) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(el("span", "early", inject.early)); }
    return [meta, el("p", "say", inject.say || inject.id)];
  }
  function showInject(inject) {
    var current = document.getElementById("current");
    var earlier = document.getElementById("earlier");
    if (!current) { return; }
    if (earlier && current.querySelector(".say")) {
      var item = el("li");
      while (current.firstChild) { item.appendChild(current.firstChild); }
      earlier.insertBefore(item, earlier.firstChild);
      var none = document.getElementById("earlier-empty");
      if (none) { none.remove(); }
    }
    current.replaceChildren.apply(current, injectNodes(inject));
  }
  var GLYPH = { up: "✓", degraded: "~", down: "✗" };
  function showServices(services) {
    var list = document.getElementById("services");
    if (!list) { return; }
    list.replaceChildren.apply(list, services.map(function (s) {
      var item = el("li", "health health-" + s.health);
      var glyph = el("span", "glyph", GLYPH[s.health] || "?");
      glyph.setAttribute("aria-hidden", "true");
      item.append(glyph, " ", el("span", "service", s.id), ": ", el("span", "state", s.health));
      return item;
    }));
  }

  function showModule(module) {
    var section = document.getElementById("module");
    if (!section || !module) { return; }
    document.getElementById("module-heading").textContent = module.title;
    document.getElementById("module-situation").textContent = module.situation;
    var list = document.getElementById("module-questions");
    list.replaceChildren.apply(list, module.questions.map(function (q) { return el("li", "", q); }));
    section.hidden = false;
  }

  function showFeedback(open) {
    var link = document.getElementById("feedback-link");
    if (link) { link.hidden = !open; }
    // the feedback page itself: a closed form that opens is shown by reloading (nothing typed is lost,
    // a closed page has no form); an open form that closes keeps what was typed and says so on sending
    if (body.dataset.feedback === "closed" && open) { window.location.reload(); }
  }

  function showPoll(poll) {
    var section = document.getElementById("poll");
    if (!section) { return; }
    var same = poll && section.dataset.poll === poll.poll && section.dataset.open === (poll.open ? "yes" : "no") &&
      section.dataset.revealed === (poll.revealed ? "yes" : "no");
    if (!same) { refreshPoll(); return; }  // opened, closed or revealed: the server renders it for this seat
    var count = document.getElementById("poll-answered");
    if (count) { count.textContent = String(poll.answered); }
    var tally = document.getElementById("poll-tally");
    if (!tally || !poll.revealed) { return; }
    var rows = (poll.tally || []).map(function (row) {
      var item = el("li"), bar = document.createElement("meter");
      bar.className = "bar"; bar.min = 0; bar.max = 100; bar.value = row.share;
      bar.setAttribute("aria-hidden", "true");
      item.append(el("span", "option", row.label || row.option), " ", bar, " ", el("span", "n", String(row.n)));
      return item;
    }).concat((poll.answers || []).map(function (text) {
      var item = el("li", "free"); item.appendChild(el("span", "option", text)); return item;
    }));
    tally.replaceChildren.apply(tally, rows);
    tally.hidden = false;
  }
  var pollFetching = false, pollAgain = false;
  function refreshPoll() {
    if (!base) { return; }
    if (pollFetching) { pollAgain = true; return; }
    pollFetching = true;
    var url = base + "/poll" + (body.classList.contains("projector") ? "?projector=1" : "");
    fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      var old = document.getElementById("poll");
      if (html && old) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("poll");
        if (fresh) { old.replaceWith(document.adoptNode(fresh)); }
      }
    }).catch(function () {}).then(function () {
      pollFetching = false;
      if (pollAgain) { pollAgain = false; refreshPoll(); }
    });
  }

  var liveUrl = body.dataset.live;
  var fetching = false, again = false;
  function refreshLive() {  // the evaluator page: fetch its live part, rendered (and escaped) by the server
    if (fetching) { again = true; return; }
    fetching = true;
    fetch(liveUrl, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      var old = document.getElementById("live");
      if (html && old) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (fresh) { old.replaceWith(document.adoptNode(fresh)); }
      }
    }).catch(function () {}).then(function () {
      fetching = false;
      if (again) { again = false; refreshLive(); }
    });
  }

  function handle(message) {
    var seq = parseInt(message.lastEventId, 10);
    room.received.push(seq);
    if (seq <= last) { return; }  // never shown twice, even if it were sent twice
    if (seq !== last + 1) { room.gaps += 1; }
    last = seq;
    var data = JSON.parse(message.data);
    if (data.clock) {
      clock = { t: data.clock.t, running: data.clock.running, ended: data.clock.ended, at: Date.now() };
      showCountdown(data.clock.decisions);
      drawClock();
    }
    if (data.kind === "inject") { showInject(data.inject); }
    if (data.module) { showModule(data.module); }
    if (data.feedback !== undefined) { showFeedback(data.feedback); }
    if (data.services) { showServices(data.services); }
    if (data.kind === "poll") { showPoll(data.poll); }
    if (liveUrl) { refreshLive(); }
  }

  function connect() {
    var source = new EventSource(stream + "?after=" + last);
    ["inject", "services", "clock", "ended", "feedback", "poll", "other"].forEach(function (kind) {
      source.addEventListener(kind, handle);
    });
    source.onopen = function () { liveState.textContent = "Live: updates appear as they happen."; };
    source.onerror = function () {
      liveState.textContent = "Connection lost: reconnecting… (a reload shows the latest)";
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 2000);
      }
    };
  }
  connect();
}());
