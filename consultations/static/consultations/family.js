// The family's conversation page: new staff replies arrive by short polling; no framework.
(function () {
  "use strict";
  var list = document.getElementById("consult-chat");
  if (!list) return;
  var POLL_MS = 4000;

  function lastId() {
    var items = list.querySelectorAll("li[data-id]");
    return items.length ? items[items.length - 1].dataset.id : 0;
  }

  function add(row) {
    if (list.querySelector('li[data-id="' + row.id + '"]')) return;
    var li = document.createElement("li");
    li.dataset.id = row.id;
    li.className = "consult-chat__message" + (row.mine ? " consult-chat__message--mine" : "");
    var who = document.createElement("span");
    who.className = "consult-chat__who";
    who.textContent = row.who + " " + row.at;
    var p = document.createElement("p");
    p.textContent = row.text;
    li.appendChild(who);
    li.appendChild(p);
    list.appendChild(li);
  }

  function tick() {
    fetch(list.dataset.source + "?after=" + lastId(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        data.messages.forEach(add);
        if (!data.open && document.getElementById("consult-send")) window.location.reload();
      })
      .catch(function () {})
      .then(function () { window.setTimeout(tick, POLL_MS); });
  }
  window.setTimeout(tick, POLL_MS);
})();
