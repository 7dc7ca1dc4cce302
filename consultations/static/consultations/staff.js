// The staff's queue and conversation update by short polling of small JSON views; no framework.
(function () {
  "use strict";
  var POLL_MS = 4000;

  function cell(text, strong) {
    var td = document.createElement("td");
    if (strong) {
      var b = document.createElement("strong");
      b.textContent = text;
      td.appendChild(b);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function renderQueue(table, rows) {
    var body = table.tBodies[0];
    var d = table.dataset;
    body.textContent = "";
    if (!rows.length) {
      var tr = document.createElement("tr");
      var td = cell(d.empty);
      td.colSpan = 7;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      if (row.crisis) tr.className = "consult-crisis";
      tr.appendChild(cell(row.crisis ? d.crisis : "", true));
      tr.appendChild(cell(row.waiting_minutes + " " + d.minutes + (row.answered ? " (" + d.answered + ")" : "")));
      tr.appendChild(cell(row.topic));
      tr.appendChild(cell(row.language));
      tr.appendChild(cell(row.life_stage));
      tr.appendChild(cell(row.status));
      var open = document.createElement("td");
      var link = document.createElement("a");
      link.className = "button button-small";
      link.href = row.url;
      link.textContent = d.open;
      open.appendChild(link);
      tr.appendChild(open);
      body.appendChild(tr);
    });
  }

  function poll(url, handle) {
    function tick() {
      fetch(url(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) handle(data); })
        .catch(function () {})
        .then(function () { window.setTimeout(tick, POLL_MS); });
    }
    window.setTimeout(tick, POLL_MS);
  }

  var queue = document.getElementById("consult-queue");
  if (queue) {
    poll(function () { return queue.dataset.source; }, function (data) { renderQueue(queue, data.rows); });
  }

  var list = document.getElementById("consult-messages");
  if (list) {
    var last = function () {
      var items = list.querySelectorAll("li[data-id]");
      return items.length ? items[items.length - 1].dataset.id : 0;
    };
    poll(function () { return list.dataset.source + "?after=" + last(); }, function (data) {
      data.messages.forEach(function (message) {
        if (list.querySelector('li[data-id="' + message.id + '"]')) return;
        var li = document.createElement("li");
        li.dataset.id = message.id;
        li.className = "consult-message consult-message--" + message.sender;
        var who = document.createElement("strong");
        who.textContent = message.sender_label;
        var time = document.createElement("time");
        time.textContent = " " + message.at;
        var p = document.createElement("p");
        p.textContent = message.text;
        li.appendChild(who);
        li.appendChild(time);
        if (message.crisis) {
          var c = document.createElement("strong");
          c.textContent = " " + list.dataset.crisis;
          li.appendChild(c);
        }
        li.appendChild(p);
        list.appendChild(li);
      });
    });
  }
})();
